using System.Diagnostics;

namespace MLNetBackprop.Benchmarks;

/// <summary>What one run of <see cref="DistributedBenchmark"/> measured on rank 0, and the figures derived from it.</summary>
/// <param name="Ranks">Processes in the job.</param>
/// <param name="Threads">Kernel threads per process.</param>
/// <param name="Shards">Gradient shards.</param>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="Steps">Optimizer steps per epoch.</param>
/// <param name="FitSeconds">Seconds in <c>Fit</c>, reading the rows included.</param>
/// <param name="Marks">Per epoch: seconds since the first epoch began, allreduce ticks so far and the training loss.</param>
/// <param name="Timed">The timing cluster, or null without a cluster.</param>
/// <param name="AloneMs">The gradient allreduce on its own after a barrier, in milliseconds (0 without a cluster).</param>
internal sealed record RunFigures(int Ranks, int Threads, int Shards, int Epochs, int Steps, double FitSeconds,
    IReadOnlyList<(double Elapsed, long AllReduceTicks, double Loss)> Marks, TimedCluster? Timed, double AloneMs)
{
    /// <summary>Floats per gradient allreduce call (0 without a cluster).</summary>
    public long FloatsPerCall => Timed is null ? 0 : Timed.FloatsReduced / Math.Max(1, Timed.FloatCalls);

    /// <summary>
    /// Seconds per epoch (median) and allreduce milliseconds per step over the epochs after the first, which carries
    /// JIT compilation and first touches; over the only epoch when there is one.
    /// </summary>
    public (double EpochSeconds, double AllReduceMs) SteadyState()
    {
        if (Marks.Count < 2)
            return (Marks[0].Elapsed, AllEpochsAllReduceMs());
        var seconds = Enumerable.Range(1, Marks.Count - 1).Select(i => Marks[i].Elapsed - Marks[i - 1].Elapsed).Order().ToArray();
        var median = seconds.Length % 2 == 1 ? seconds[seconds.Length / 2] : (seconds[seconds.Length / 2 - 1] + seconds[seconds.Length / 2]) / 2;
        var ticks = Marks[^1].AllReduceTicks - Marks[0].AllReduceTicks;
        return (median, Milliseconds(ticks) / ((Marks.Count - 1) * Steps));
    }

    /// <summary>Allreduce milliseconds per step over the whole fit, the calls before the first epoch included.</summary>
    public double AllEpochsAllReduceMs() => Timed is null ? 0 : Milliseconds(Timed.AllReduceTicks) / ((double)Epochs * Steps);

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
