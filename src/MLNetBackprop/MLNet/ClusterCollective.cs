using MLNetBackprop.Engine.Collective;

namespace MLNetBackprop.MLNet;

/// <summary>The engine's view of a user's <see cref="ITrainingCluster"/>.</summary>
internal sealed class ClusterCollective(ITrainingCluster cluster) : ICollective
{
    /// <inheritdoc/>
    public int Rank => cluster.Rank;
    /// <inheritdoc/>
    public int Size => cluster.Size;
    /// <inheritdoc/>
    public void AllReduceSum(Span<float> values) => cluster.AllReduceSum(values);
    /// <inheritdoc/>
    public void AllReduceSum(Span<double> values) => cluster.AllReduceSum(values);
    /// <inheritdoc/>
    public void Broadcast(Span<byte> data, int root) => cluster.Broadcast(data, root);
}
