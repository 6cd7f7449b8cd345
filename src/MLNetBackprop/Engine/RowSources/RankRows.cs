using MLNetBackprop.Engine.Randomness;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Engine.RowSources;

/// <summary>
/// One rank's share of a data set split among the <see cref="Size"/> ranks of a job: by position (row p of the whole
/// set on rank p mod <see cref="Size"/>, <see cref="Interleaved"/>), or as each rank was given its rows. It reports the
/// whole set's row count and fingerprint, so that every rank describes the same run, and every rank's row count,
/// with which the batches take each rank's part; its passes are <see cref="Local"/>'s, over this rank's rows only,
/// which the sharded epochs read.
/// </summary>
internal sealed class RankRows : IRowSource
{
    /// <summary>
    /// Rank <paramref name="rank"/>'s share <paramref name="local"/> of rows of which each rank holds
    /// <paramref name="rowsPerRank"/>, with the whole set's <paramref name="fingerprint"/>; the ranks may agree to call
    /// the rows <paramref name="sparse"/> whatever this rank's storage.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="local"/> does not hold this rank's number of rows.</exception>
    public RankRows(IRowSource local, int rank, long[] rowsPerRank, ulong fingerprint, bool? sparse = null)
    {
        _sparse = sparse;
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(rowsPerRank);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, rowsPerRank.Length);
        if (local.RowCount != rowsPerRank[rank])
            throw new ArgumentException($"Rank {rank} of {rowsPerRank.Length} holds {rowsPerRank[rank]} rows, not {local.RowCount}.", nameof(local));
        (Local, Rank, RowsPerRank, Fingerprint) = (local, rank, rowsPerRank, fingerprint);
        RowCount = rowsPerRank.Sum();
    }

    /// <summary>
    /// Rank <paramref name="rank"/>'s share <paramref name="local"/> of <paramref name="rowCount"/> rows split by
    /// position among <paramref name="size"/> ranks.
    /// </summary>
    public static RankRows Interleaved(IRowSource local, int rank, int size, long rowCount, ulong fingerprint)
        => new(local, rank, Enumerable.Range(0, size).Select(r => CountOf(rowCount, r, size)).ToArray(), fingerprint) { ByPosition = true };

    /// <summary>Whether the rows were split by position (<see cref="Interleaved"/>), rather than given to each rank.</summary>
    public bool ByPosition { get; private init; }

    /// <summary>This rank's rows, in the order of their positions.</summary>
    public IRowSource Local { get; }
    /// <summary>The rank whose share this is.</summary>
    public int Rank { get; }
    /// <summary>The number of ranks sharing the set.</summary>
    public int Size => RowsPerRank.Length;

    /// <summary>How many rows each rank holds.</summary>
    public long[] RowsPerRank { get; }

    /// <summary>How many of <paramref name="rowCount"/> rows rank <paramref name="rank"/> of <paramref name="size"/> holds.</summary>
    public static long CountOf(long rowCount, int rank, int size) => Math.Max(0, (rowCount - rank + size - 1) / size);

    /// <inheritdoc/>
    public int FeatureCount => Local.FeatureCount;
    /// <summary>Whether the ranks call the rows sparse (by default, whether this rank holds them sparse).</summary>
    public bool IsSparse => _sparse ?? Local.IsSparse;
    private readonly bool? _sparse;
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
