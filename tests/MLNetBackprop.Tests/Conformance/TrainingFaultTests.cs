using System.Diagnostics;
using Microsoft.ML;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Conformance;

/// <summary>
/// Faults during training: a training process killed part-way leaves its last checkpoint intact, and rerunning it
/// resumes to the same model as an uninterrupted run; cancellation and divergence leave no half-written files.
/// </summary>
public class TrainingFaultTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-faults-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string[] TrainArguments(string model, string checkpoint) =>
    [
        "train", "--data", Path.Combine(BuiltProgram.RepositoryRoot, "data", "digits.csv"), "--label", "Label",
        "--task", "multiclass", "--hidden", "64", "--epochs", "400", "--tolerance", "0", "--batch-size", "64",
        "--model", model, "--checkpoint", checkpoint,
    ];

    private static BuiltProgram.Result Cli(string[] args) => BuiltProgram.Run("src/MLNetBackprop.Cli", "mlnet-backprop", args);

    private string Predictions(string model)
    {
        var output = Path.Combine(_folder, Path.GetFileNameWithoutExtension(model) + ".tsv");
        var run = Cli(["predict", "--model", model, "--data", Path.Combine(BuiltProgram.RepositoryRoot, "data", "digits.csv"), "--output", output]);
        Assert.True(run.ExitCode == 0, run.Error);
        return File.ReadAllText(output);
    }

    [Fact]
    public void A_killed_training_process_resumes_from_its_checkpoint_to_the_uninterrupted_model()
    {
        var uninterrupted = Path.Combine(_folder, "uninterrupted.zip");
        var resumed = Path.Combine(_folder, "resumed.zip");
        var checkpoint = Path.Combine(_folder, "training.checkpoint");

        var full = Cli(TrainArguments(uninterrupted, Path.Combine(_folder, "other.checkpoint")));
        Assert.True(full.ExitCode == 0, full.Error);

        using (var victim = BuiltProgram.Start("src/MLNetBackprop.Cli", "mlnet-backprop", TrainArguments(resumed, checkpoint)))
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(checkpoint) && !victim.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
                Thread.Sleep(10);
            Thread.Sleep(100); // let it write a few more checkpoints, so the kill may land mid-write
            Assert.False(victim.HasExited, "training finished before it could be killed; make the run longer");
            victim.Kill(entireProcessTree: true);
            victim.WaitForExit();
        }
        Assert.True(File.Exists(checkpoint), "the last complete checkpoint must survive the kill");
        Assert.False(File.Exists(resumed), "the killed run must not have saved a model");

        var rerun = Cli(TrainArguments(resumed, checkpoint));

        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.False(File.Exists(checkpoint), "a completed run removes its checkpoint");
        Assert.Equal(Predictions(uninterrupted), Predictions(resumed));
    }

    [Fact]
    public void Cancellation_keeps_a_complete_checkpoint_and_leaves_no_temporary_file()
    {
        var checkpoint = Path.Combine(_folder, "cancel.checkpoint");
        using var cancellation = new CancellationTokenSource();
        var ml = new MLContext(seed: 1);
        var data = ConformanceRow.View(ml, ConformanceRow.Generate(300, 4, 1), 4);
        var trainer = ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options
        {
            LabelColumnName = "Target", NumberOfEpochs = 1000, Tolerance = 0, BatchSize = 16,
            CheckpointPath = checkpoint, CancellationToken = cancellation.Token,
            Progress = new Progress<MlpEpochReport>(r => { if (r.Epoch == 5) cancellation.Cancel(); }),
        });

        trainer.Fit(data);

        Assert.True(File.Exists(checkpoint));
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public void Divergence_leaves_no_temporary_file()
    {
        var checkpoint = Path.Combine(_folder, "diverge.checkpoint");
        var ml = new MLContext(seed: 1);
        var rows = ConformanceRow.Generate(100, 4, 1);
        foreach (var row in rows)
            for (var j = 0; j < 4; j++)
                row.Features[j] *= 1e30f;
        var trainer = ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options
        {
            LabelColumnName = "Target", NumberOfEpochs = 50, CheckpointPath = checkpoint, InputScaling = MlpInputScaling.None,
        });

        Assert.Throws<TrainingDivergedException>(() => trainer.Fit(ConformanceRow.View(ml, rows, 4)));

        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }
}
