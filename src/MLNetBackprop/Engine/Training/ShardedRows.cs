using MLNetBackprop.Engine.RowSources;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// The rows a sharded run reads on this rank: every row in memory (each rank computes its places of every batch), or
/// this rank's share of the rows (<see cref="RankRows"/>, each rank mixing its own rows).
/// </summary>
internal sealed record ShardedRows(InMemoryRowSource? InMemory, IRowSource? Share, long RowCount, long[] RowsPerRank, bool ByPosition)
{
    /// <summary>The rows of <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentException">The source is a stream of the whole set, which sharded training cannot split.</exception>
    public static ShardedRows Of(IRowSource source) => source switch
    {
        InMemoryRowSource rows => new(rows, null, rows.RowCount, [], ByPosition: false),
        RankRows share => new(null, share.Local, share.RowCount, share.RowsPerRank, share.ByPosition),
        _ => throw new ArgumentException("Training on several ranks or gradient shards needs its rows in memory, or each rank's share of a stream.", "data"),
    };
}
