using MLNetBackprop.Engine.Checkpoints;
using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Randomness;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Engine.RowSources;

/// <summary>
/// Rows held in a <see cref="TrainingSet"/>: an epoch reshuffles the whole row order and takes consecutive stretches of
/// it as batches.
/// </summary>
internal sealed class InMemoryRowSource(TrainingSet set) : IRowSource
{
    private ulong? _fingerprint;
    private int[] _inOrder = [];

    /// <summary>The rows.</summary>
    public TrainingSet Set { get; } = set ?? throw new ArgumentNullException(nameof(set));

    /// <inheritdoc/>
    public int FeatureCount => Set.FeatureCount;
    /// <inheritdoc/>
    public bool IsSparse => Set.IsSparse;
    /// <inheritdoc/>
    public bool HasWeights => Set.Weights is not null;
    /// <inheritdoc/>
    public long RowCount => Set.RowCount;
    /// <inheritdoc/>
    public int OrderLength => Set.RowCount;
    /// <inheritdoc/>
    public ulong Fingerprint => _fingerprint ??= CheckpointStore.HashData(Set);

    /// <inheritdoc/>
    public IRowPass StartEpoch(BatchWorkspace workspace, int[] order, SeededRandom random, bool shuffle, CancellationToken cancellation = default)
    {
        if (order.Length != Set.RowCount)
            throw new ArgumentException($"The order has {order.Length} entries for {Set.RowCount} rows.", nameof(order));
        if (shuffle)
            random.Shuffle(order);
        return new Pass(Set, workspace, order);
    }

    /// <inheritdoc/>
    public IRowPass StartInOrder(BatchWorkspace workspace)
    {
        if (_inOrder.Length != Set.RowCount)
            _inOrder = Enumerable.Range(0, Set.RowCount).ToArray();
        return new Pass(Set, workspace, _inOrder);
    }

    /// <summary>Starts a pass over the rows <paramref name="rows"/> (indices into the set), in that order.</summary>
    public IRowPass StartRows(BatchWorkspace workspace, int[] rows) => new Pass(Set, workspace, rows);

    // Batches of consecutive entries of the order.
    private sealed class Pass(TrainingSet set, BatchWorkspace workspace, int[] order) : IRowPass
    {
        private int _next;

        public int Next(int maxRows, out double weightSum)
        {
            var rows = Math.Min(Math.Min(workspace.Capacity, maxRows), order.Length - _next);
            weightSum = 0;
            if (rows == 0)
                return 0;
            weightSum = workspace.Gather(set, order.AsSpan(_next, rows));
            _next += rows;
            return rows;
        }

        public void Dispose()
        {
        }
    }
}
