namespace MLNetBackprop.Engine.Collective;

/// <summary>
/// How a run splits each global batch: into <see cref="Shards"/> gradient shards by the rows' places (the row at place
/// i of a batch, or of a pass in order, belongs to shard i mod <see cref="Shards"/>), and the shards among the ranks
/// (shard m belongs to rank m mod <see cref="Size"/>). Each shard's gradient is computed whole on its rank, and the
/// shards are summed in shard order on every rank, so the model depends on the shard count and not on the rank count.
/// </summary>
internal sealed class ShardPlan
{
    /// <summary>
    /// A plan for <paramref name="shards"/> shards (a positive multiple of the rank count, as the settings' validation
    /// ensures) over <paramref name="collective"/> (null: this process alone), summed
    /// <paramref name="inShardOrder"/> or each rank's first.
    /// </summary>
    public ShardPlan(ICollective? collective, int shards, bool inShardOrder = true)
    {
        Collective = collective;
        Rank = collective?.Rank ?? 0;
        Size = collective?.Size ?? 1;
        Shards = shards;
        InShardOrder = inShardOrder;
    }

    /// <summary>
    /// Whether gradients are summed shard by shard in shard order on every rank (the model then depends on the shard
    /// count, not on the rank count), rather than each rank's shards first and then the ranks in the collective's order.
    /// </summary>
    public bool InShardOrder { get; }

    /// <summary>The job's collective, or null when this process trains alone.</summary>
    public ICollective? Collective { get; }
    /// <summary>This process's rank.</summary>
    public int Rank { get; }
    /// <summary>The number of ranks.</summary>
    public int Size { get; }
    /// <summary>The number of gradient shards of every global batch.</summary>
    public int Shards { get; }

    /// <summary>Whether batches are split at all; a single shard on a single rank trains as a plain run does.</summary>
    public bool IsSharded => Shards > 1;

    /// <summary>Whether this is rank 0, which writes checkpoints and reports progress.</summary>
    public bool IsRoot => Rank == 0;

    /// <summary>How many shards this rank computes.</summary>
    public int LocalShardCount => Shards / Size;

    /// <summary>The shard number of this rank's <paramref name="localShard"/>-th shard.</summary>
    public int ShardAt(int localShard) => Rank + localShard * Size;

    /// <summary>The places, in order, of the rows of this rank's <paramref name="localShard"/>-th shard among <paramref name="rowCount"/> rows.</summary>
    public int[] RowsOf(int localShard, int rowCount)
    {
        var shard = ShardAt(localShard);
        var count = Math.Max(0, (rowCount - shard + Shards - 1) / Shards);
        return Enumerable.Range(0, count).Select(i => shard + i * Shards).ToArray();
    }

    /// <summary>The places of the rows of each of this rank's shards among <paramref name="rowCount"/> rows (<see cref="RowsOf"/>).</summary>
    public int[][] LocalShardRows(int rowCount) => Enumerable.Range(0, LocalShardCount).Select(k => RowsOf(k, rowCount)).ToArray();

    /// <summary>
    /// This rank's index of the shard the row at place <paramref name="place"/> belongs to, or -1 when another rank
    /// computes it.
    /// </summary>
    public int LocalShardOf(long place)
    {
        var shard = (int)(place % Shards);
        return shard % Size == Rank ? shard / Size : -1;
    }
}
