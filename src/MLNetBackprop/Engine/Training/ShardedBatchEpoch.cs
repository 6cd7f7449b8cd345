using MLNetBackprop.Engine.Collective;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Randomness;
using MLNetBackprop.Engine.RowSources;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// One pass over rows in memory in global mini-batches split into gradient shards (<see cref="ShardPlan"/>): every
/// rank draws the same row order, gathers its own rows of each batch shard by shard, and takes the same update from
/// the shard-ordered sum of the shard gradients. The update is <see cref="MiniBatchEpoch"/>'s, over every parameter.
/// </summary>
internal sealed class ShardedBatchEpoch
{
    private const int LossSum = 0, Cancelled = 1;

    private readonly InMemoryRowSource _data;
    private readonly TrainingSettings _settings;
    private readonly NetworkLayout _layout;
    private readonly BatchWorkspace _workspace;
    private readonly ShardPlan _plan;
    private readonly ShardReduction _gradients;
    private readonly ShardReduction _weights;
    private readonly CancellationToken _cancellation;
    private readonly int[] _rows;
    private readonly int[] _bounds;
    private readonly double[] _lossSums;
    private readonly SeededRandom? _dropout;
    private readonly long[] _rowKeys;

    /// <summary>Sets up epochs over <paramref name="data"/> with <paramref name="workspace"/>'s batches.</summary>
    public ShardedBatchEpoch(InMemoryRowSource data, TrainingSettings settings, NetworkLayout layout, BatchWorkspace workspace,
        ShardPlan plan, bool dropout, CancellationToken cancellation)
    {
        (_data, _settings, _layout, _workspace, _plan, _cancellation) = (data, settings, layout, workspace, plan, cancellation);
        _gradients = new ShardReduction(plan, layout.ParameterCount, scalarWidth: 2);
        _weights = new ShardReduction(plan, 0, scalarWidth: 1);
        _rows = new int[settings.BatchSize];
        _bounds = new int[plan.LocalShardCount + 1];
        _lossSums = new double[plan.LocalShardCount];
        _dropout = dropout ? new SeededRandom(0) : null;
        _rowKeys = dropout ? new long[settings.BatchSize] : [];
    }

    /// <summary>
    /// Runs epoch <paramref name="epoch"/> at learning rate <paramref name="rate"/> and returns its loss, the mean of
    /// the batch losses weighted by their row counts; null when any rank was cancelled (after the same batch on all).
    /// </summary>
    public double? Run(TrainingState state, int epoch, float rate)
    {
        state.Optimizer!.LearningRate = rate;
        var decay = _settings.WeightDecay > 0 ? 1f - rate * _settings.WeightDecay : 1f;
        if (_settings.Shuffle)
            state.Random.Shuffle(state.Order);
        double lossSum = 0;
        long rowsCounted = 0;
        var order = state.Order;
        for (var start = 0; start < order.Length; start += _settings.BatchSize)
        {
            var batch = order.AsSpan(start, Math.Min(_settings.BatchSize, order.Length - start));
            var (loss, cancelled) = Update(state, batch, epoch, rate, decay);
            if (loss is { } value)
            {
                lossSum += value * batch.Length;
                rowsCounted += batch.Length;
            }
            if (cancelled)
                return null;
        }
        return rowsCounted > 0 ? lossSum / rowsCounted
            : throw new ArgumentException("Every batch of the epoch has example weights summing to zero; nothing can be learned.", "data");
    }

    // One update from the global batch `batch` (row positions); its loss, or null when its weights sum to zero, and
    // whether any rank has been cancelled.
    private (double? Loss, bool Cancelled) Update(TrainingState state, ReadOnlySpan<int> batch, int epoch, float rate, float decay)
    {
        GatherLocalRows(batch);
        var rowKeys = DropoutKeys(state);
        var weighted = _data.HasWeights;
        var weightSum = weighted ? GlobalWeightSum() : batch.Length;
        var scalars = (Span<double>)stackalloc double[2];
        if (!(weightSum > 0))
        {
            // Nothing to learn from this batch; the ranks still agree on cancellation.
            _gradients.ClearScalars();
            _gradients.Scalars(0)[Cancelled] = _cancellation.IsCancellationRequested ? 1 : 0;
            _gradients.SumScalars(scalars);
            return (null, scalars[Cancelled] > 0);
        }
        ShardedBackpropagation.LossAndGradients(state.Parameters, _workspace, _bounds, weightSum, _settings.Loss,
            _settings.HuberDelta, weighted, _gradients, _lossSums, _dropout, rowKeys);
        _gradients.ClearScalars();
        for (var k = 0; k < _plan.LocalShardCount; k++)
            _gradients.Scalars(k)[LossSum] = _lossSums[k];
        _gradients.Scalars(0)[Cancelled] = _cancellation.IsCancellationRequested ? 1 : 0;
        _gradients.SumSlots(_workspace.Gradient);
        _gradients.SumScalars(scalars);
        var loss = scalars[LossSum] / weightSum;
        if (_settings.L2 != 0)
            loss += L2Penalty.Apply(_layout, state.Parameters, _workspace.Gradient, _settings.L2, batch.Length);
        if (!double.IsFinite(loss))
            throw Divergence.At(epoch, "the loss", loss, rate);
        ReadOnlySpan<ParameterRange> every = [new ParameterRange(0, _layout.ParameterCount)];
        if (_settings.GradientClipNorm > 0)
            GradientClipping.ClipByGlobalNorm(_workspace.Gradient, _settings.GradientClipNorm, every);
        if (decay != 1f)
            WeightDecay.ScaleWeights(_layout, state.Parameters, decay, [_layout.Weights(0)]);
        state.Optimizer!.Step(state.Parameters, _workspace.Gradient, every);
        return (loss, scalars[Cancelled] > 0);
    }

    // Gathers this rank's rows of the batch into the workspace, shard after shard and in batch order within a shard,
    // and sets the shard bounds.
    private void GatherLocalRows(ReadOnlySpan<int> batch)
    {
        var counts = _bounds.AsSpan();
        counts.Clear();
        foreach (var position in batch)
            if (_plan.LocalShardOf(position) is var k and >= 0)
                counts[k + 1]++;
        for (var k = 1; k < counts.Length; k++)
            counts[k] += counts[k - 1];
        Span<int> next = stackalloc int[_plan.LocalShardCount];
        counts[..^1].CopyTo(next);
        foreach (var position in batch)
            if (_plan.LocalShardOf(position) is var k and >= 0)
                _rows[next[k]++] = position;
        if (_bounds[^1] > 0)
            _workspace.Gather(_data.Set, _rows.AsSpan(0, _bounds[^1]));
    }

    // With dropout, a key per gathered row from the run's generator (one draw per batch, the same on every rank) and
    // the row's position, so its masks are the same whichever rank computes it.
    private ReadOnlySpan<long> DropoutKeys(TrainingState state)
    {
        if (_dropout is null)
            return default;
        var batchKey = unchecked((long)state.Random.NextUInt64());
        var rows = _bounds[^1];
        for (var i = 0; i < rows; i++)
            _rowKeys[i] = batchKey ^ (_rows[i] * unchecked((long)0xD6E8FEB86659FD93UL));
        return _rowKeys.AsSpan(0, rows);
    }

    // The batch's weight, summed shard by shard in row order and then over the shards in shard order.
    private double GlobalWeightSum()
    {
        _weights.ClearScalars();
        for (var k = 0; k < _plan.LocalShardCount; k++)
            _weights.Scalars(k)[0] = Losses.WeightSum(_workspace.Weights.AsSpan(_bounds[k], _bounds[k + 1] - _bounds[k]), _bounds[k + 1] - _bounds[k]);
        Span<double> total = stackalloc double[1];
        _weights.SumScalars(total);
        return total[0];
    }
}
