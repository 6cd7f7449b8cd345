using MLNetBackprop.Mpi;

namespace MLNetBackprop.Cli;

/// <summary>
/// <c>train --distributed</c>: runs the training on every rank of an MPI job (<c>mpiexec -n 2 mlnet-backprop train ...</c>)
/// with the job as the trainer's cluster. The only code of the tool that touches MPI, and called only with the flag, so
/// that the MPI library is loaded only then: without the flag the tool runs on machines without MPICH.
/// </summary>
internal static class DistributedTraining
{
    /// <summary>Starts MPI, runs <paramref name="train"/> with the job as <see cref="TrainingRequest.Cluster"/>, and finalizes MPI.</summary>
    public static int Run(TrainingRequest request, Func<TrainingRequest, int> train)
    {
        using var cluster = Start();
        try
        {
            return train(request with { Cluster = cluster });
        }
        catch (Exception error) when (cluster.Size > 1)
        {
            // The other ranks may be waiting for this one in a collective call: end the whole job, naming this rank.
            var (message, exitCode) = CliError.Describe(error) ?? (error.ToString(), 1);
            cluster.Abort(exitCode, message);
            throw; // Abort does not return
        }
    }

    private static MpiCluster Start()
    {
        try
        {
            return MpiCluster.Start();
        }
        catch (DllNotFoundException error)
        {
            // The message names the files tried and ends with the install hint (apt-get install mpich).
            throw new CliException($"--distributed needs MPI, which could not be loaded. {error.Message}");
        }
    }
}
