using MLNetBackprop.Mpi;

namespace MLNetBackprop.Tests.Mpi;

/// <summary>
/// MpiCluster over MPICH: each test runs the probe program as an mpiexec job of 1 to 3 ranks on this machine and checks
/// what it printed and how it ended.
/// </summary>
[Collection(MpiJob.Collection)]
public sealed class MpiClusterTests
{
    [Fact]
    public void Each_rank_knows_its_rank_and_the_size()
    {
        var job = MpiJob.Run(2, "size");

        Assert.True(job.ExitCode == 0, job.ToString());
        Assert.Contains("rank 0 of 2 (root)", job.Output, StringComparison.Ordinal);
        Assert.Contains("rank 1 of 2\n", job.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Allreduce_sums_float_and_double_spans_in_place_on_every_rank_without_allocating(int ranks)
    {
        var job = MpiJob.Run(ranks, "allreduce");

        Assert.True(job.ExitCode == 0, job.ToString());
        Assert.Contains($"allreduce ok: {ranks} ranks", job.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Broadcast_copies_the_roots_bytes_to_every_rank()
    {
        var job = MpiJob.Run(3, "broadcast");

        Assert.True(job.ExitCode == 0, job.ToString());
        for (var rank = 0; rank < 3; rank++)
            Assert.Contains($"rank {rank} broadcast ok", job.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rank_that_throws_aborts_the_whole_job_naming_its_rank_and_error()
    {
        var job = MpiJob.Run(2, "throw");

        Assert.True(job.ExitCode != 0, job.ToString());
        Assert.Contains("rank 1: InvalidOperationException: bad data in this rank's shard", job.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("the barrier returned", job.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rank_killed_with_SIGKILL_ends_the_job_within_30_seconds()
    {
        var job = MpiJob.Run(2, "killself");

        Assert.True(job.ExitCode != 0, job.ToString());
        Assert.True(job.Elapsed < TimeSpan.FromSeconds(30), job.ToString());
        Assert.Contains("rank 1: killing itself", job.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("the allreduce returned", job.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_start_and_a_start_after_dispose_fail_clearly()
    {
        var job = MpiJob.Run(1, "restart");

        Assert.True(job.ExitCode == 0, job.ToString());
        Assert.Contains("second Start: An MpiCluster is already started in this process", job.Output, StringComparison.Ordinal);
        Assert.Contains("Start after Dispose: MPI was finalized in this process", job.Output, StringComparison.Ordinal);
        Assert.Contains("Barrier after Dispose: ObjectDisposedException", job.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_MPI_library_says_to_install_MPICH_and_names_the_files_tried()
    {
        // In this process, without starting MPI: only the loader, with names that exist nowhere.
        var error = Assert.Throws<DllNotFoundException>(() => MpiLibrary.Load(["libmpi-absent.so.12", "libmpich-absent.so.12"]));

        Assert.Contains("install MPICH: apt-get install mpich", error.Message, StringComparison.Ordinal);
        Assert.Contains("libmpi-absent.so.12: not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("libmpich-absent.so.12: not found", error.Message, StringComparison.Ordinal);
    }
}
