namespace MLNetBackprop;

/// <summary>
/// The processes of a data-parallel training job, for <see cref="MlpOptionsBase.Cluster"/>: this process's rank, the
/// job's size, and the collective operations training needs. Every rank runs the same program, and must make the same
/// calls in the same order. <c>MLNetBackprop.Mpi.MpiCluster</c> (package MLNetBackprop.Mpi) implements it on MPI.
/// </summary>
public interface ITrainingCluster
{
    /// <summary>This process's rank, from 0 to <see cref="Size"/> - 1. Rank 0 reports progress and writes checkpoints.</summary>
    int Rank { get; }

    /// <summary>The number of processes in the job, at least 1.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="values"/> on every rank by their element-wise sum over all ranks.</summary>
    void AllReduceSum(Span<float> values);

    /// <summary>Replaces <paramref name="values"/> on every rank by their element-wise sum over all ranks.</summary>
    void AllReduceSum(Span<double> values);

    /// <summary>Copies <paramref name="data"/> from rank <paramref name="root"/> to every other rank.</summary>
    void Broadcast(Span<byte> data, int root);

    /// <summary>
    /// Ends the whole job after writing "rank R: <paramref name="message"/>" to standard error; never returns. Training
    /// calls it when it fails on one rank, since the others would wait for that rank forever.
    /// </summary>
    void Abort(int errorCode, string message);
}
