using System.Diagnostics;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// An <see cref="ITrainingCluster"/> that passes every call to <paramref name="inner"/> and adds up the time spent in
/// its allreduce calls, so the distributed benchmark can split an epoch into compute and communication.
/// </summary>
/// <remarks>
/// The time of an allreduce includes waiting for the slowest rank to arrive, so the rank that finishes its shards
/// first sees the longest allreduce; the smallest time over the ranks is the closest to the transfer alone.
/// </remarks>
internal sealed class TimedCluster(ITrainingCluster inner) : ITrainingCluster
{
    private long _ticks;

    /// <summary>Stopwatch ticks spent in <see cref="AllReduceSum(Span{float})"/> and <see cref="AllReduceSum(Span{double})"/>.</summary>
    public long AllReduceTicks => _ticks;

    /// <summary>Allreduce calls of floats (gradients) so far.</summary>
    public long FloatCalls { get; private set; }

    /// <summary>Floats summed by allreduce calls so far, all calls together.</summary>
    public long FloatsReduced { get; private set; }

    /// <summary>Allreduce calls of doubles (loss and weight sums) so far.</summary>
    public long DoubleCalls { get; private set; }

    /// <inheritdoc/>
    public int Rank => inner.Rank;

    /// <inheritdoc/>
    public int Size => inner.Size;

    /// <inheritdoc/>
    public void AllReduceSum(Span<float> values)
    {
        var start = Stopwatch.GetTimestamp();
        inner.AllReduceSum(values);
        _ticks += Stopwatch.GetTimestamp() - start;
        FloatCalls++;
        FloatsReduced += values.Length;
    }

    /// <inheritdoc/>
    public void AllReduceSum(Span<double> values)
    {
        var start = Stopwatch.GetTimestamp();
        inner.AllReduceSum(values);
        _ticks += Stopwatch.GetTimestamp() - start;
        DoubleCalls++;
    }

    /// <inheritdoc/>
    public void Broadcast(Span<byte> data, int root) => inner.Broadcast(data, root);

    /// <inheritdoc/>
    public void Abort(int errorCode, string message) => inner.Abort(errorCode, message);
}
