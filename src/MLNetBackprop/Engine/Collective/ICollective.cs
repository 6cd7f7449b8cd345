namespace MLNetBackprop.Engine.Collective;

/// <summary>
/// What data-parallel training needs from the processes of a job: this process's rank, the job's size, an in-place
/// allreduce-sum and a broadcast. Every rank makes the same calls in the same order.
/// </summary>
internal interface ICollective
{
    /// <summary>This process's rank, from 0 to <see cref="Size"/> - 1.</summary>
    int Rank { get; }

    /// <summary>The number of processes in the job.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="values"/> on every rank by their element-wise sum over all ranks.</summary>
    void AllReduceSum(Span<float> values);

    /// <summary>Replaces <paramref name="values"/> on every rank by their element-wise sum over all ranks.</summary>
    void AllReduceSum(Span<double> values);

    /// <summary>Copies <paramref name="data"/> from rank <paramref name="root"/> to every other rank.</summary>
    void Broadcast(Span<byte> data, int root);
}
