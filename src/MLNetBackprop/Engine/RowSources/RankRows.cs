using MLNetBackprop.Engine.Randomness;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Engine.RowSources;

/// <summary>
/// One rank's share of a data set split among the <see cref="Size"/> ranks of a job by position: row p of the whole
/// set is held by rank p mod <see cref="Size"/>, as row p / <see cref="Size"/> of <see cref="Local"/>. It reports the
/// whole set's row count and fingerprint, so that every rank describes the same run; its passes are
/// <see cref="Local"/>'s, over this rank's rows only, which the sharded epochs read.
/// </summary>
internal sealed class RankRows : IRowSource
{
    /// <summary>
    /// Rank <paramref name="rank"/>'s share <paramref name="local"/> of <paramref name="rowCount"/> rows with
    /// <paramref name="fingerprint"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="local"/> does not hold this rank's number of rows.</exception>
    public RankRows(IRowSource local, int rank, int size, long rowCount, ulong fingerprint)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, size);
        if (local.RowCount != CountOf(rowCount, rank, size))
            throw new ArgumentException($"Rank {rank} of {size} holds {CountOf(rowCount, rank, size)} of {rowCount} rows, not {local.RowCount}.", nameof(local));
        (Local, Rank, Size, RowCount, Fingerprint) = (local, rank, size, rowCount, fingerprint);
    }

    /// <summary>This rank's rows, in the order of their positions.</summary>
    public IRowSource Local { get; }
    /// <summary>The rank whose share this is.</summary>
    public int Rank { get; }
    /// <summary>The number of ranks sharing the set.</summary>
    public int Size { get; }

    /// <summary>How many of <paramref name="rowCount"/> rows rank <paramref name="rank"/> of <paramref name="size"/> holds.</summary>
    public static long CountOf(long rowCount, int rank, int size) => Math.Max(0, (rowCount - rank + size - 1) / size);

    /// <inheritdoc/>
    public int FeatureCount => Local.FeatureCount;
    /// <inheritdoc/>
    public bool IsSparse => Local.IsSparse;
    /// <inheritdoc/>
    public bool HasWeights => Local.HasWeights;
    /// <summary>The number of rows of the whole set.</summary>
    public long RowCount { get; }
    /// <summary>0: each rank mixes its own rows with an order drawn afresh every epoch, which no checkpoint keeps.</summary>
    public int OrderLength => 0;
    /// <summary>The whole set's fingerprint.</summary>
    public ulong Fingerprint { get; }

    /// <summary>An epoch over this rank's rows only (<see cref="Local"/>'s).</summary>
    public IRowPass StartEpoch(BatchWorkspace workspace, int[] order, SeededRandom random, bool shuffle, CancellationToken cancellation = default)
        => Local.StartEpoch(workspace, order, random, shuffle, cancellation);

    /// <summary>A pass over this rank's rows only (<see cref="Local"/>'s).</summary>
    public IRowPass StartInOrder(BatchWorkspace workspace) => Local.StartInOrder(workspace);
}
