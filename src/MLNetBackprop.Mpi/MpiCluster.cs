using System.Diagnostics.CodeAnalysis;

namespace MLNetBackprop.Mpi;

/// <summary>
/// This process's place in an MPI job (<c>mpiexec -n 4 dotnet app.dll</c>) and the collective operations data-parallel
/// training needs: an in-place allreduce-sum, a broadcast, a barrier and an abort, all over <c>MPI_COMM_WORLD</c>. Pass it
/// as a trainer's <see cref="MlpOptionsBase.Cluster"/> to train on every rank's share of the data.
/// </summary>
/// <remarks>
/// <para>
/// The binding is a small P/Invoke layer over the MPICH ABI, which MPICH, Intel MPI and MVAPICH share (Linux;
/// <c>libmpi.so.12</c> or Debian's <c>libmpich.so.12</c>: <c>apt-get install mpich</c>). MPI.NET 1.4.0 was not used:
/// it asks for <c>msmpi.dll</c> (it reaches MPICH only through a library name mapping), and its int handles crash under
/// Open MPI. This layer is a dozen calls, checks every return code, and refuses Open MPI (a different ABI) with a message
/// when it loads the library.
/// </para>
/// <para>
/// One per process: <see cref="Start"/> initializes MPI, <see cref="Dispose"/> finalizes it, and MPI cannot be started
/// again afterwards. Every rank must make the same collective calls in the same order. Calls may come from any thread,
/// one at a time (they are serialized here; MPI is initialized with <c>MPI_THREAD_SERIALIZED</c>). A failing MPI call
/// throws an <see cref="InvalidOperationException"/> naming the call.
/// </para>
/// </remarks>
public sealed class MpiCluster : ITrainingCluster, IDisposable
{
    private static readonly Lock StartGate = new();
    private static readonly TimeSpan AbortGrace = TimeSpan.FromMilliseconds(300);
    private static MpiCluster? _live;

    private readonly Lock _gate = new();
    private readonly bool _ownsMpi;
    private bool _disposed;

    private MpiCluster(int rank, int size, bool ownsMpi)
    {
        Rank = rank;
        Size = size;
        _ownsMpi = ownsMpi;
    }

    /// <summary>This process's rank in <c>MPI_COMM_WORLD</c>, from 0 to <see cref="Size"/> - 1.</summary>
    public int Rank { get; }

    /// <summary>The number of processes in the job (1 when the program was not started by <c>mpiexec</c>).</summary>
    public int Size { get; }

    /// <summary>Whether this is rank 0, the rank that prints progress and writes files.</summary>
    public bool IsRoot => Rank == 0;

    /// <summary>
    /// Initializes MPI (unless the application already has) and returns this process's cluster. Run under
    /// <c>mpiexec</c>; started alone, the process is a job of one rank.
    /// </summary>
    /// <exception cref="DllNotFoundException">No MPI library with the MPICH ABI is installed; the message names the files tried.</exception>
    /// <exception cref="InvalidOperationException">A cluster is already live in this process, MPI was finalized, or an MPI call failed.</exception>
    public static unsafe MpiCluster Start()
    {
        MpiLibrary.EnsureLoaded();
        lock (StartGate)
        {
            if (_live is not null)
                throw new InvalidOperationException(
                    "An MpiCluster is already started in this process; use that one (MPI is initialized once per process).");

            int finalized;
            MpiNative.Check(MpiNative.Finalized(&finalized), "MPI_Finalized");
            if (finalized != 0)
                throw new InvalidOperationException("MPI was finalized in this process (an MpiCluster was disposed); it cannot be started again.");

            int initialized;
            MpiNative.Check(MpiNative.Initialized(&initialized), "MPI_Initialized");
            var ownsMpi = initialized == 0;
            if (ownsMpi)
            {
                int provided;
                MpiNative.Check(MpiNative.InitThread(null, null, MpiNative.ThreadSerialized, &provided), "MPI_Init_thread");
                // Errors come back as return codes (checked, thrown as exceptions) instead of aborting the job at once.
                // Only when MPI is ours: an application that initialized MPI keeps its own error handler.
                MpiNative.Check(MpiNative.CommSetErrhandler(MpiNative.CommWorld, MpiNative.ErrorsReturn), "MPI_Comm_set_errhandler");
            }

            int rank, size;
            MpiNative.Check(MpiNative.CommRank(MpiNative.CommWorld, &rank), "MPI_Comm_rank");
            MpiNative.Check(MpiNative.CommSize(MpiNative.CommWorld, &size), "MPI_Comm_size");
            _live = new MpiCluster(rank, size, ownsMpi);
            return _live;
        }
    }

    /// <summary>
    /// Replaces <paramref name="values"/> on every rank by their element-wise sum over all ranks (<c>MPI_Allreduce</c> with
    /// <c>MPI_IN_PLACE</c>). Every rank must pass the same length. The order in which MPI adds the ranks' values is its own,
    /// so float sums may differ in the last bits from a sum in rank order.
    /// </summary>
    public void AllReduceSum(Span<float> values) => AllReduceSumInPlace(values, MpiNative.Float);

    /// <summary>
    /// Replaces <paramref name="values"/> on every rank by their element-wise sum over all ranks (<c>MPI_Allreduce</c> with
    /// <c>MPI_IN_PLACE</c>). Every rank must pass the same length.
    /// </summary>
    public void AllReduceSum(Span<double> values) => AllReduceSumInPlace(values, MpiNative.Double);

    /// <summary>
    /// Copies <paramref name="data"/> from rank <paramref name="root"/> to every other rank (<c>MPI_Bcast</c>). Every rank must
    /// pass the same length and root.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="root"/> is not a rank of the job.</exception>
    public unsafe void Broadcast(Span<byte> data, int root)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, Size);
        lock (_gate)
        {
            ThrowIfDisposed();
            fixed (byte* bytes = data)
                MpiNative.Check(MpiNative.Bcast(bytes, data.Length, MpiNative.Byte, root, MpiNative.CommWorld), "MPI_Bcast");
        }
    }

    /// <summary>Waits until every rank has called it (<c>MPI_Barrier</c>).</summary>
    public void Barrier()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            MpiNative.Check(MpiNative.Barrier(MpiNative.CommWorld), "MPI_Barrier");
        }
    }

    /// <summary>
    /// Ends the whole job: writes "rank R: <paramref name="message"/>" to standard error, waits a moment for
    /// <c>mpiexec</c> to forward it, then calls <c>MPI_Abort</c>, which
    /// stops every rank; <c>mpiexec</c> then exits non-zero. Never returns. Use it when one rank cannot go on (the others
    /// would wait for it forever in their next collective call).
    /// </summary>
    /// <param name="errorCode">The error code passed to <c>MPI_Abort</c>; use a non-zero one.</param>
    /// <param name="message">What went wrong, for the user.</param>
    [DoesNotReturn]
    public void Abort(int errorCode, string message)
    {
        Console.Out.Flush();
        Console.Error.WriteLine($"rank {Rank}: {message}");
        Console.Error.Flush();
        // mpiexec forwards each rank's output through a pipe; once the abort kills the job, what it has not forwarded
        // yet is lost, the message included. A moment's wait lets it through.
        Thread.Sleep(AbortGrace);
        // Not under the lock: another thread may be blocked in a collective call, and the abort must still go out.
        if (!_disposed)
            _ = MpiNative.Abort(MpiNative.CommWorld, errorCode);
        // MPI_Abort does not return; after Dispose MPI can no longer abort, so end this process alone.
        Environment.Exit(errorCode != 0 ? errorCode : 1);
    }

    /// <summary>
    /// Finalizes MPI (<c>MPI_Finalize</c>) when <see cref="Start"/> initialized it, else leaves MPI to the application that
    /// did; a second call does nothing. Every rank must call it.
    /// </summary>
    public void Dispose()
    {
        lock (StartGate)
        {
            lock (_gate)
            {
                if (_disposed)
                    return;
                _disposed = true;
                _live = null;
                if (_ownsMpi)
                    MpiNative.Check(MpiNative.Finalize(), "MPI_Finalize");
            }
        }
    }

    private unsafe void AllReduceSumInPlace<T>(Span<T> values, int datatype)
        where T : unmanaged
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            fixed (T* data = values)
                MpiNative.Check(MpiNative.Allreduce(MpiNative.InPlace, data, values.Length, datatype, MpiNative.Sum, MpiNative.CommWorld),
                    "MPI_Allreduce");
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
