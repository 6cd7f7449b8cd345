using MLNetBackprop.Engine.Randomness;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Engine.RowSources;

/// <summary>
/// Where a training run's rows come from, a pass at a time and a batch at a time: rows in memory
/// (<see cref="InMemoryRowSource"/>, dense or sparse) or a stream read pass after pass through a bounded shuffle
/// buffer (<see cref="StreamedRowSource"/>). Mini-batch epochs, L-BFGS and validation do not know which they have.
/// </summary>
internal interface IRowSource
{
    /// <summary>Number of features per row.</summary>
    int FeatureCount { get; }

    /// <summary>Whether batches arrive as sparse rows.</summary>
    bool IsSparse { get; }

    /// <summary>Whether the rows carry example weights (otherwise every weight is 1).</summary>
    bool HasWeights { get; }

    /// <summary>Number of rows in one pass.</summary>
    long RowCount { get; }

    /// <summary>
    /// Length of the row order <see cref="StartEpoch"/> shuffles from epoch to epoch (and a checkpoint keeps): one
    /// entry per row when the source can hold every row at once, else 0.
    /// </summary>
    int OrderLength { get; }

    /// <summary>A hash of the rows, with which a checkpoint recognises its data.</summary>
    ulong Fingerprint { get; }

    /// <summary>
    /// Starts a training epoch into <paramref name="workspace"/>: with <paramref name="shuffle"/>, rows come in a random
    /// order drawn from <paramref name="random"/> on the calling thread (for rows held at once, by reshuffling
    /// <paramref name="order"/>, of <see cref="OrderLength"/>); without it, in the source's order. Once
    /// <paramref name="cancellation"/> is signalled the pass may end early, even before its first batch.
    /// </summary>
    IRowPass StartEpoch(BatchWorkspace workspace, int[] order, SeededRandom random, bool shuffle, CancellationToken cancellation = default);

    /// <summary>Starts a pass in the source's order into <paramref name="workspace"/> (L-BFGS, validation).</summary>
    IRowPass StartInOrder(BatchWorkspace workspace);
}
