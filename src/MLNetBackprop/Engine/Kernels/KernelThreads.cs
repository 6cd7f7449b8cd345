using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// A fixed set of worker threads (one per core beyond the caller's) that share the parts of one job at a time.
/// Thread t (the caller is 0) first claims part t, so consecutive jobs split the same way run each part on the same
/// core and find its data in that core's cache (the gather's rows in the forward pass, the weight gradient's rows
/// in the optimizer step). Then it claims any part still unclaimed: a thread the OS has descheduled (a busy
/// machine) costs nothing beyond the part it already holds. Workers spin briefly between jobs (so a fork costs far
/// less than <c>Parallel.For</c>'s) and then park, so an idle process burns no core.
/// </summary>
/// <remarks>
/// Which thread runs a part never changes what it computes, so results do not depend on the thread count. When the
/// workers are busy with another caller's job, the caller simply runs every part itself. Nothing here allocates
/// per job. The thread count is the processor count, or the environment variable MLNETBACKPROP_THREADS, at most
/// <see cref="MaxThreads"/>.
/// </remarks>
internal static class KernelThreads
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // long enough to cover the gaps between one batch's products
    private static readonly object Gate = new();
    private static IKernelJob? _job;
    private static int _parts;
    // High 32 bits: the job's generation; low 32 bits: one bit per claimed part. One word, so a claim is one CAS
    // that can only succeed for the job it was meant for.
    private static long _state;
    private static int _remaining;
    private static int _sleepers;
    private static int _busy;
    private static int _workers;
    private static Exception? _failure;

    /// <summary>Most threads a job can use: one claim bit per part.</summary>
    public const int MaxThreads = 32;

    private static int _threadCount = DefaultThreadCount();

    /// <summary>Threads a job may use, the caller included (1 to <see cref="MaxThreads"/>).</summary>
    public static int ThreadCount
    {
        get => _threadCount;
        set => _threadCount = Math.Clamp(value, 1, MaxThreads);
    }

    /// <summary>Runs parts 0..parts−1 of <paramref name="job"/>, in parallel when workers are free (at most <see cref="ThreadCount"/> parts).</summary>
    public static void Run(IKernelJob job, int parts)
    {
        parts = Math.Clamp(parts, 1, ThreadCount);
        if (parts == 1 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (var part = 0; part < parts; part++)
                job.Execute(part, parts);
            return;
        }
        try
        {
            RunShared(job, parts);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private static void RunShared(IKernelJob job, int parts)
    {
        EnsureWorkers(parts - 1);
        _job = job;
        _parts = parts;
        _failure = null;
        Volatile.Write(ref _remaining, parts);
        var generation = Generation(Volatile.Read(ref _state)) + 1;
        Interlocked.Exchange(ref _state, (long)generation << 32);
        if (Volatile.Read(ref _sleepers) > 0)
            lock (Gate)
                Monitor.PulseAll(Gate);
        ClaimParts(generation, 0);
        var spinner = new SpinWait();
        while (Volatile.Read(ref _remaining) != 0)
            spinner.SpinOnce(sleep1Threshold: -1);
        _job = null;
        if (_failure is { } failure)
            ExceptionDispatchInfo.Throw(failure); // as the part threw it, as when the caller runs every part itself
    }

    // Runs unclaimed parts of job `generation`, its own part first, until there are none (or another job is current).
    private static void ClaimParts(int generation, int thread)
    {
        for (var i = 0; ; i++)
        {
            var state = Volatile.Read(ref _state);
            var parts = _parts;
            if (Generation(state) != generation || i >= parts)
                return;
            var part = (thread + i) % parts;
            var bit = 1L << part;
            if ((state & bit) != 0)
                continue;
            if (Interlocked.CompareExchange(ref _state, state | bit, state) != state)
            {
                i--; // another part was claimed meanwhile: look at this one again
                continue;
            }
            try
            {
                _job!.Execute(part, parts);
            }
            catch (Exception exception)
            {
                _failure = exception;
            }
            finally
            {
                Interlocked.Decrement(ref _remaining);
            }
        }
    }

    private static int Generation(long state) => (int)(state >> 32);

    // Called only while holding _busy, so no job is in flight.
    private static void EnsureWorkers(int count)
    {
        while (_workers < count)
        {
            _workers++;
            var worker = new Thread(WorkerLoop) { IsBackground = true, Name = $"MLNetBackprop kernel {_workers}" };
            worker.Start((_workers, Generation(Volatile.Read(ref _state))));
        }
    }

    private static void WorkerLoop(object? start)
    {
        var (thread, seen) = ((int, int))start!;
        while (true)
        {
            seen = WaitForJob(seen);
            ClaimParts(seen, thread);
        }
    }

    // Spins for a short while, then parks on the gate; returns the new generation.
    private static int WaitForJob(int seen)
    {
        var deadline = Stopwatch.GetTimestamp() + SpinTicks;
        while (Generation(Volatile.Read(ref _state)) == seen)
        {
            if (Stopwatch.GetTimestamp() < deadline)
            {
                Thread.SpinWait(16);
                continue;
            }
            lock (Gate)
            {
                // Both this increment and the caller's publishing exchange are full fences: one sees the other.
                Interlocked.Increment(ref _sleepers);
                while (Generation(Volatile.Read(ref _state)) == seen)
                    Monitor.Wait(Gate);
                Interlocked.Decrement(ref _sleepers);
            }
        }
        return Generation(Volatile.Read(ref _state));
    }

    private static int DefaultThreadCount()
    {
        var configured = Environment.GetEnvironmentVariable("MLNETBACKPROP_THREADS");
        var cores = Math.Min(Environment.ProcessorCount, MaxThreads);
        if (int.TryParse(configured, out var count) && count >= 1)
            return Math.Min(count, cores);
        return cores;
    }
}
