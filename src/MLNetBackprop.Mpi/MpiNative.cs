using System.Runtime.InteropServices;

namespace MLNetBackprop.Mpi;

/// <summary>
/// The handful of MPI calls <see cref="MpiCluster"/> needs, bound to the MPICH ABI (MPICH, Intel MPI, MVAPICH), in
/// which every handle is an <c>int</c>. Why not MPI.NET: its 1.4.0 package asks for <c>msmpi.dll</c> (it works
/// against MPICH only through a library name mapping), and its int handles crash under Open MPI; the dozen calls
/// here are smaller than that dependency, and <see cref="MpiLibrary"/>, which finds the library, refuses Open MPI with
/// a message instead.
/// </summary>
/// <remarks>
/// The constants are MPICH's, from <c>/usr/include/x86_64-linux-gnu/mpich/mpi.h</c> (Debian's libmpich-dev, MPICH
/// 4.0.2), and the signatures from <c>mpi_proto.h</c> next to it. They are fixed by the ABI (MPICH has kept them since
/// its 3.1 ABI compatibility initiative with Intel MPI and MVAPICH), not by a version.
/// </remarks>
internal static partial class MpiNative
{
    /// <summary>The name every import uses; <see cref="MpiLibrary"/> resolves it to the loaded MPI library.</summary>
    public const string LibraryName = "mpi";

    public const int Success = 0;                     // MPI_SUCCESS
    public const int CommWorld = 0x44000000;          // MPI_COMM_WORLD  ((MPI_Comm)0x44000000)
    public const int Byte = 0x4c00010d;               // MPI_BYTE        ((MPI_Datatype)0x4c00010d)
    public const int Float = 0x4c00040a;              // MPI_FLOAT       ((MPI_Datatype)0x4c00040a)
    public const int Double = 0x4c00080b;             // MPI_DOUBLE      ((MPI_Datatype)0x4c00080b)
    public const int Sum = 0x58000003;                // MPI_SUM         (MPI_Op)(0x58000003)
    public const int ErrorsReturn = 0x54000001;       // MPI_ERRORS_RETURN ((MPI_Errhandler)0x54000001)
    public const int ThreadSerialized = 2;            // MPI_THREAD_SERIALIZED
    public const int MaxErrorString = 512;            // MPI_MAX_ERROR_STRING

    /// <summary>MPI_IN_PLACE: <c>(void *) -1</c>.</summary>
    public static readonly unsafe void* InPlace = (void*)-1;

    [LibraryImport(LibraryName, EntryPoint = "MPI_Initialized")]
    public static unsafe partial int Initialized(int* flag);

    [LibraryImport(LibraryName, EntryPoint = "MPI_Finalized")]
    public static unsafe partial int Finalized(int* flag);

    /// <summary>MPI_Init_thread with null <c>argc</c> and <c>argv</c> (allowed since MPI-2).</summary>
    [LibraryImport(LibraryName, EntryPoint = "MPI_Init_thread")]
    public static unsafe partial int InitThread(int* argc, byte*** argv, int required, int* provided);

    [LibraryImport(LibraryName, EntryPoint = "MPI_Finalize")]
    public static partial int Finalize();

    [LibraryImport(LibraryName, EntryPoint = "MPI_Comm_rank")]
    public static unsafe partial int CommRank(int comm, int* rank);

    [LibraryImport(LibraryName, EntryPoint = "MPI_Comm_size")]
    public static unsafe partial int CommSize(int comm, int* size);

    [LibraryImport(LibraryName, EntryPoint = "MPI_Comm_set_errhandler")]
    public static partial int CommSetErrhandler(int comm, int errhandler);

    [LibraryImport(LibraryName, EntryPoint = "MPI_Allreduce")]
    public static unsafe partial int Allreduce(void* sendBuffer, void* receiveBuffer, int count, int datatype, int op, int comm);

    [LibraryImport(LibraryName, EntryPoint = "MPI_Bcast")]
    public static unsafe partial int Bcast(void* buffer, int count, int datatype, int root, int comm);

    [LibraryImport(LibraryName, EntryPoint = "MPI_Barrier")]
    public static partial int Barrier(int comm);

    [LibraryImport(LibraryName, EntryPoint = "MPI_Abort")]
    public static partial int Abort(int comm, int errorCode);

    [LibraryImport(LibraryName, EntryPoint = "MPI_Error_string")]
    public static unsafe partial int ErrorString(int errorCode, byte* text, int* length);

    /// <summary>Throws when <paramref name="code"/> is not MPI_SUCCESS, naming the call and MPI's text for the code.</summary>
    public static void Check(int code, string call)
    {
        if (code != Success)
            throw new InvalidOperationException($"{call} failed with MPI error {code}: {Describe(code)}");
    }

    private static unsafe string Describe(int code)
    {
        try
        {
            var text = stackalloc byte[MaxErrorString];
            var length = 0;
            if (ErrorString(code, text, &length) == Success && length > 0)
                return System.Text.Encoding.ASCII.GetString(text, Math.Min(length, MaxErrorString)).TrimEnd('\0', '\n', ' ');
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
        }
        return "no description";
    }
}
