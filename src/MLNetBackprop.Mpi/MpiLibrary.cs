using System.Reflection;
using System.Runtime.InteropServices;

namespace MLNetBackprop.Mpi;

/// <summary>
/// Finds and loads the MPI library once per process, and resolves <see cref="MpiNative.LibraryName"/> to it.
/// </summary>
/// <remarks>
/// The names tried, in order: <c>libmpi.so.12</c> (the MPICH ABI's name: MPICH built from source, Intel MPI,
/// MVAPICH), <c>libmpich.so.12</c> (what Debian's and Ubuntu's <c>mpich</c> package installs: it has no
/// <c>libmpi.so.12</c>) and <c>libmpi.so</c> (the development link, e.g. libmpich-dev's alternative). Open MPI has a
/// different ABI (pointer handles): a library exporting Open MPI's <c>ompi_mpi_comm_world</c> is refused with a
/// message instead of crashing later.
/// </remarks>
internal static class MpiLibrary
{
    /// <summary>The file names tried, in order.</summary>
    public static readonly IReadOnlyList<string> Names = ["libmpi.so.12", "libmpich.so.12", "libmpi.so"];

    private static readonly Lock Gate = new();
    private static nint _handle;
    private static bool _resolverSet;

    /// <summary>Loads the MPI library (once) and routes the P/Invoke calls to it; throws a clear error when none is found.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_handle != 0)
                return;
            _handle = Load(Names);
            if (!_resolverSet)
            {
                NativeLibrary.SetDllImportResolver(typeof(MpiLibrary).Assembly, Resolve);
                _resolverSet = true;
            }
        }
    }

    /// <summary>Loads the first of <paramref name="names"/> that exists and has the MPICH ABI.</summary>
    public static nint Load(IReadOnlyList<string> names)
    {
        var failures = new List<string>();
        foreach (var name in names)
        {
            if (!NativeLibrary.TryLoad(name, out var handle))
            {
                failures.Add($"{name}: not found");
                continue;
            }
            if (NativeLibrary.TryGetExport(handle, "ompi_mpi_comm_world", out _))
            {
                NativeLibrary.Free(handle);
                failures.Add($"{name}: Open MPI, whose ABI MLNetBackprop.Mpi does not support");
                continue;
            }
            return handle;
        }
        throw new DllNotFoundException(
            "No MPI library with the MPICH ABI was found (MPICH, Intel MPI or MVAPICH); install MPICH: apt-get install mpich. " +
            $"Tried {string.Join("; ", failures)}.");
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != MpiNative.LibraryName)
            return 0;
        EnsureLoaded();
        return _handle;
    }
}
