using MLNetBackprop.Engine.Collective;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>
/// A rank of a <see cref="ThreadCollective"/> job as the public <see cref="ITrainingCluster"/>, for ML.NET pipelines
/// trained by ranks that are threads of this process: Abort throws the message instead of ending the process.
/// </summary>
internal sealed class CollectiveCluster(ICollective collective) : ITrainingCluster
{
    public int Rank => collective.Rank;
    public int Size => collective.Size;
    public void AllReduceSum(Span<float> values) => collective.AllReduceSum(values);
    public void AllReduceSum(Span<double> values) => collective.AllReduceSum(values);
    public void Broadcast(Span<byte> data, int root) => collective.Broadcast(data, root);
    public void Abort(int errorCode, string message) => throw new InvalidOperationException($"rank {Rank} aborted the job: {message}");
}
