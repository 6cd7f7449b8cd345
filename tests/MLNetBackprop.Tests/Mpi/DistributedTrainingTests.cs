using System.Text.RegularExpressions;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Mpi;

/// <summary>
/// An ML.NET pipeline trained by a job of 1 to 3 processes under MPICH (the probe's train mode, a trainer with
/// Options.Cluster = MpiCluster.Start()): with 6 gradient shards every rank count gives the same model, for dense and
/// sparse rows and L-BFGS; a checkpoint written by rank 0 resumes on the next launch; ranks that disagree abort the job
/// naming the difference; ranks that each stream their share, or read views of their own rows, train one model that
/// learns. The model is identified by a hash of its scores on every row.
/// </summary>
[Collection(MpiJob.Collection)]
public sealed partial class DistributedTrainingTests
{
    [Theory]
    [InlineData("dense")]
    [InlineData("sparse")]
    [InlineData("lbfgs")]
    public void One_two_and_three_ranks_train_the_same_model_bit_for_bit(string kind)
    {
        var hashes = Enumerable.Range(1, 3).Select(ranks => ScoresOf(MpiJob.Run(ranks, "train", ShippedData.Folder, kind, "6"))).ToArray();

        Assert.All(hashes, hash => Assert.Equal(hashes[0], hash));
    }

    [Fact]
    public void By_default_three_ranks_sum_in_MPIs_order_agree_after_every_epoch_and_repeat_their_model()
    {
        var first = ScoresOf(MpiJob.Run(3, "train", ShippedData.Folder, "dense", "default"));
        var again = ScoresOf(MpiJob.Run(3, "train", ShippedData.Folder, "dense", "default"));

        Assert.Equal(first, again);
    }

    [Theory]
    [InlineData("stream", 2)]
    [InlineData("stream", 3)]
    [InlineData("perrank", 2)]
    [InlineData("perrank", 3)]
    public void Ranks_that_stream_their_share_or_read_views_of_their_own_learn_as_well_as_one_process_in_memory(string kind, int ranks)
    {
        var streamed = MpiJob.Run(ranks, "train", ShippedData.Folder, kind, ranks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var inMemory = MpiJob.Run(1, "train", ShippedData.Folder, "dense", "1");

        ScoresOf(streamed);
        Assert.True(AccuracyOf(streamed) > AccuracyOf(inMemory) - 0.05, $"{streamed}\n{inMemory}");
    }

    [Fact]
    public void A_job_stopped_after_a_checkpoint_resumes_on_the_next_launch_to_the_uninterrupted_model()
    {
        var checkpoint = Path.Combine(Directory.CreateTempSubdirectory("mlp-mpi-").FullName, "run.ckpt");
        var uninterrupted = ScoresOf(MpiJob.Run(1, "train", ShippedData.Folder, "dense", "2"));

        var stopped = MpiJob.Run(2, "train", ShippedData.Folder, "dense", "2", checkpoint, "2");
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.Contains("after 2 epochs", stopped.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(checkpoint), "rank 0 wrote the checkpoint");
        var resumed = MpiJob.Run(2, "train", ShippedData.Folder, "dense", "2", checkpoint);

        Assert.Equal(uninterrupted, ScoresOf(resumed));
        Assert.Contains("after 6 epochs", resumed.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(checkpoint), "the finished run deleted its checkpoint");
    }

    [Fact]
    public void A_job_aborted_by_a_fault_mid_training_resumes_from_its_last_checkpoint_to_the_uninterrupted_model()
    {
        var checkpoint = Path.Combine(Directory.CreateTempSubdirectory("mlp-mpi-").FullName, "run.ckpt");
        var uninterrupted = ScoresOf(MpiJob.Run(1, "train", ShippedData.Folder, "dense", "2"));

        var failed = MpiJob.Run(2, "train", ShippedData.Folder, "dense", "2", checkpoint, "fail-3");
        Assert.True(failed.ExitCode != 0, failed.ToString());
        Assert.Contains("training failed: InvalidOperationException: a fault after epoch 3", failed.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(checkpoint), "the checkpoint of epoch 3 outlives the fault");
        var resumed = MpiJob.Run(2, "train", ShippedData.Folder, "dense", "2", checkpoint);

        Assert.Equal(uninterrupted, ScoresOf(resumed));
    }

    [Fact]
    public void Ranks_with_different_options_abort_the_job_naming_the_difference()
    {
        var job = MpiJob.Run(2, "mismatch", ShippedData.Folder);

        Assert.True(job.ExitCode != 0, job.ToString());
        Assert.Contains("rank 1 has 'HiddenLayerSizes=[32]' where rank 0 has 'HiddenLayerSizes=[16]'", job.Error, StringComparison.Ordinal);
        Assert.Matches(@"rank \d: training failed: InvalidOperationException", job.Error);
    }

    private static double AccuracyOf(MpiJob.Result job)
        => double.Parse(AccuracyLine().Match(job.Output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    // The scores' hash that rank 0 printed, once.
    private static string ScoresOf(MpiJob.Result job)
    {
        Assert.True(job.ExitCode == 0, job.ToString());
        var matches = ScoresLine().Matches(job.Output);
        Assert.True(matches.Count == 1, job.ToString());
        return matches[0].Groups[1].Value;
    }

    [GeneratedRegex(@"scores ([0-9a-f]{16}) after \d+ epochs")]
    private static partial Regex ScoresLine();

    [GeneratedRegex(@"accuracy ([0-9.]+)")]
    private static partial Regex AccuracyLine();
}
