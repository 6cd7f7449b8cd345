using MLNetBackprop.Engine.Collective;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Randomness;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// One pass over the rows in global mini-batches split into gradient shards (<see cref="ShardPlan"/>), every rank
/// taking the same update from the shard-ordered sum of the shard gradients; the update is
/// <see cref="MiniBatchEpoch"/>'s, over every parameter.
/// <list type="bullet">
/// <item>Every row in memory: every rank draws the same order of the whole set; the row at place i of a batch is in
/// shard i mod the shard count, and each rank gathers the rows of its own shards, so the model depends on the shard
/// count and not on the rank count, and the ranks share every batch evenly.</item>
/// <item>A rank's share of the rows (streamed, or in memory): each rank mixes its own rows (with a generator drawn from
/// the run's, and its rank) as one shard, and each batch takes from every rank its part, the shares spread evenly over
/// the epoch's batches.</item>
/// </list>
/// </summary>
internal sealed class ShardedBatchEpoch
{
    private const int LossSum = 0, Cancelled = 1;
    // Odd constants of their own (the layer's is Backpropagation's), so that no rank's, row's and layer's keys cancel.
    private const long RowMix = unchecked((long)0xD6E8FEB86659FD93UL), RankMix = unchecked((long)0xC2B2AE3D27D4EB4FUL);

    private readonly ShardedRows _data;
    private readonly TrainingSettings _settings;
    private readonly NetworkLayout _layout;
    private readonly BatchWorkspace _workspace;
    private readonly ShardPlan _plan;
    private readonly ShardReduction _gradients;
    private readonly ShardReduction _weights;
    private readonly CancellationToken _cancellation;
    private readonly int[] _positions;
    private readonly int[] _bounds;
    private readonly double[] _lossSums;
    private readonly SeededRandom? _dropout;
    private readonly long[] _rowKeys;
    private readonly bool _weighted;

    /// <summary>Sets up epochs over <paramref name="data"/> with <paramref name="workspace"/>'s batches.</summary>
    public ShardedBatchEpoch(ShardedRows data, bool weighted, TrainingSettings settings, NetworkLayout layout, BatchWorkspace workspace,
        ShardPlan plan, bool dropout, CancellationToken cancellation)
    {
        (_data, _weighted, _settings, _layout, _workspace, _plan, _cancellation) = (data, weighted, settings, layout, workspace, plan, cancellation);
        _gradients = new ShardReduction(plan, layout.ParameterCount, scalarWidth: 2, total: workspace.Gradient);
        _weights = new ShardReduction(plan, 0, scalarWidth: 1);
        _positions = new int[settings.BatchSize];
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
        var decay = MiniBatchEpoch.DecayFactor(_settings, rate);
        var (lossSum, rowsCounted, cancelled) = _data.InMemory is not null
            ? RunInMemory(state, epoch, rate, decay)
            : RunShare(state, epoch, rate, decay);
        if (cancelled)
            return null;
        return rowsCounted > 0 ? lossSum / rowsCounted
            : throw new ArgumentException("Every batch of the epoch has example weights summing to zero; nothing can be learned.", "data");
    }

    // Consecutive stretches of the run's order of the whole set; each rank gathers its own rows.
    private (double LossSum, long Rows, bool Cancelled) RunInMemory(TrainingState state, int epoch, float rate, float decay)
    {
        if (_settings.Shuffle)
            state.Random.Shuffle(state.Order);
        double lossSum = 0;
        long rowsCounted = 0;
        var order = state.Order;
        for (var start = 0; start < order.Length; start += _settings.BatchSize)
        {
            var batch = order.AsSpan(start, Math.Min(_settings.BatchSize, order.Length - start));
            GatherLocalRows(batch);
            var (loss, cancelled) = Update(state, batch.Length, epoch, rate, decay, RowKeys(state, byPosition: true));
            if (loss is { } value)
                (lossSum, rowsCounted) = (lossSum + value * batch.Length, rowsCounted + batch.Length);
            if (cancelled)
                return (lossSum, rowsCounted, true);
        }
        return (lossSum, rowsCounted, false);
    }

    // As many batches as the whole set gives; batch k takes this rank's k-th part of its own mixed rows.
    private (double LossSum, long Rows, bool Cancelled) RunShare(TrainingState state, int epoch, float rate, float decay)
    {
        var stream = _data.Share!;
        var random = new SeededRandom(unchecked((long)state.Random.NextUInt64()) ^ ((_plan.Rank + 1L) * RankMix));
        var order = Enumerable.Range(0, stream.OrderLength).ToArray();
        var batches = (int)((_data.RowCount + _settings.BatchSize - 1) / _settings.BatchSize);
        double lossSum = 0;
        long rowsCounted = 0;
        using var pass = stream.StartEpoch(_workspace, order, random, _settings.Shuffle, _cancellation);
        for (var k = 0; k < batches; k++)
        {
            var wanted = PartOf(_plan.Rank, k, batches);
            var rows = wanted == 0 ? 0 : pass.Next(wanted, out _);
            if (rows != wanted && !_cancellation.IsCancellationRequested)
                throw new InvalidOperationException($"Rank {_plan.Rank}'s rows gave {rows} rows for batch {k + 1} where {wanted} were due; every pass must give the same rows.");
            (_bounds[0], _bounds[1]) = (0, rows);
            var globalRows = 0;
            for (var rank = 0; rank < _plan.Size; rank++)
                globalRows += PartOf(rank, k, batches);
            var (loss, cancelled) = Update(state, globalRows, epoch, rate, decay, RowKeys(state, byPosition: false));
            if (loss is { } value)
                (lossSum, rowsCounted) = (lossSum + value * globalRows, rowsCounted + globalRows);
            if (cancelled)
                return (lossSum, rowsCounted, true);
        }
        return (lossSum, rowsCounted, false);
    }

    // Rank `rank`'s rows in batch k of `batches`. Rows split by position: its rows among the batch's places of the whole
    // set, so every batch has BatchSize rows as in memory. Rows given to each rank: its share in proportion to its
    // rows, so every rank finishes on the last batch (a batch may then differ from BatchSize by up to the rank count).
    private int PartOf(int rank, int k, int batches)
    {
        var (start, end) = ((long)k * _settings.BatchSize, Math.Min((long)(k + 1) * _settings.BatchSize, _data.RowCount));
        if (_data.ByPosition)
            return (int)(RowSources.RankRows.CountOf(end, rank, _plan.Size) - RowSources.RankRows.CountOf(start, rank, _plan.Size));
        var share = _data.RowsPerRank[rank];
        return (int)(end * share / _data.RowCount - start * share / _data.RowCount);
    }

    // One update from the gathered rows of a global batch of `globalRows` rows; its loss, or null when the batch's
    // weights sum to zero, and whether any rank has been cancelled.
    private (double? Loss, bool Cancelled) Update(TrainingState state, int globalRows, int epoch, float rate, float decay, ReadOnlySpan<long> rowKeys)
    {
        var weightSum = _weighted ? GlobalWeightSum() : globalRows;
        Span<double> scalars = stackalloc double[2];
        _gradients.ClearScalars();
        _gradients.Scalars(0)[Cancelled] = _cancellation.IsCancellationRequested ? 1 : 0;
        if (!(weightSum > 0))
        {
            // Nothing to learn from this batch; the ranks still agree on cancellation.
            _gradients.SumScalars(scalars);
            return (null, scalars[Cancelled] > 0);
        }
        ShardedBackpropagation.LossAndGradients(state.Parameters, _workspace, _bounds, weightSum, _settings.Loss,
            _settings.HuberDelta, _weighted, _gradients, _lossSums, _dropout, rowKeys);
        for (var k = 0; k < _plan.LocalShardCount; k++)
            _gradients.Scalars(k)[LossSum] = _lossSums[k];
        _gradients.SumSlots(_workspace.Gradient);
        _gradients.SumScalars(scalars);
        // A rank was cancelled: no rank takes this update, as one process stops before its next batch.
        if (scalars[Cancelled] > 0)
            return (null, true);
        var loss = scalars[LossSum] / weightSum;
        if (_settings.L2 != 0)
            loss += L2Penalty.Apply(_layout, state.Parameters, _workspace.Gradient, _settings.L2, globalRows);
        if (!double.IsFinite(loss))
            throw Divergence.At(epoch, "the loss", loss, rate);
        MiniBatchEpoch.Step(_settings, _layout, state, _workspace.Gradient, decay, [new ParameterRange(0, _layout.ParameterCount)], [_layout.Weights(0)]);
        return (loss, false);
    }

    // Gathers this rank's rows of the batch (positions in the whole set; the row at place i is in shard i mod the
    // shard count) into the workspace, shard after shard and in batch order within a shard, and sets the shard bounds.
    private void GatherLocalRows(ReadOnlySpan<int> batch)
    {
        var counts = _bounds.AsSpan();
        counts.Clear();
        for (var i = 0; i < batch.Length; i++)
            if (_plan.LocalShardOf(i) is var k and >= 0)
                counts[k + 1]++;
        for (var k = 1; k < counts.Length; k++)
            counts[k] += counts[k - 1];
        Span<int> next = stackalloc int[_plan.LocalShardCount];
        counts[..^1].CopyTo(next);
        for (var i = 0; i < batch.Length; i++)
            if (_plan.LocalShardOf(i) is var k and >= 0)
                _positions[next[k]++] = batch[i];
        if (_bounds[^1] > 0)
            _workspace.Gather(_data.InMemory!.Set, _positions.AsSpan(0, _bounds[^1]));
    }

    // With dropout, a key per gathered row from the run's generator (one draw per batch, the same on every rank) and
    // the row's position in the whole set (in memory: the same whichever rank computes it) or its rank and place.
    private ReadOnlySpan<long> RowKeys(TrainingState state, bool byPosition)
    {
        if (_dropout is null)
            return default;
        var batchKey = unchecked((long)state.Random.NextUInt64());
        var rows = _bounds[^1];
        for (var i = 0; i < rows; i++)
            _rowKeys[i] = byPosition ? batchKey ^ (_positions[i] * RowMix) : batchKey ^ ((_plan.Rank + 1L) * RankMix) ^ (i * RowMix);
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
