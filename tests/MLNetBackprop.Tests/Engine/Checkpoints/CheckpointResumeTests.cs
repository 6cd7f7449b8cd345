using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.RowSources;
using MLNetBackprop.Engine.Training;
using static MLNetBackprop.Tests.TestSupport.TrainingRuns;

namespace MLNetBackprop.Tests.Engine.Checkpoints;

/// <summary>Resuming from a checkpoint gives the uninterrupted run's model bit for bit; foreign or damaged checkpoints are refused.</summary>
public class CheckpointResumeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-checkpoints-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Everything with state in one run: Adam moments, dropout masks from the generator, reduce-on-plateau, the
    // early-stopping tracker and best weights.
    private static TrainingSettings Stateful(int seed = 4, OptimizerKind optimizer = OptimizerKind.Adam) => new()
    {
        HiddenLayerSizes = [16, 8], Loss = LossKind.Logistic, Optimizer = optimizer, LearningRate = 0.02f, BatchSize = 8, MaxEpochs = 12,
        Tolerance = 0, Seed = seed, DropoutRates = [0.2f], Schedule = LearningRateScheduleKind.ReduceOnPlateau,
        PlateauPatience = 2, DecayFactor = 0.5f, WeightDecay = 0.01f, GradientClipNorm = 1f,
    };

    [Theory]
    [InlineData(nameof(OptimizerKind.Adam))]
    [InlineData(nameof(OptimizerKind.Sgd))]
    public void Resuming_from_a_checkpoint_gives_the_model_of_an_uninterrupted_run_bit_for_bit(string optimizerName)
    {
        var optimizer = Enum.Parse<OptimizerKind>(optimizerName);
        var data = Noisy(40, 10);
        var validation = Noisy(30, 20);
        var settings = Stateful(optimizer: optimizer);
        var uninterrupted = NetworkTrainer.Train(data, settings, new TrainingRunOptions { Validation = new InMemoryRowSource(validation) });

        var path = Path.Combine(_folder, $"run-{optimizer}.ckpt");
        using var cancel = new CancellationTokenSource();
        var interrupted = NetworkTrainer.Train(data, settings, new TrainingRunOptions
        {
            Validation = new InMemoryRowSource(validation), CheckpointPath = path, CheckpointInterval = 3, Cancellation = cancel.Token,
            OnEpoch = e => { if (e.Epoch == 7) cancel.Cancel(); },
        });
        Assert.Equal(StopReason.Cancelled, interrupted.StopReason);
        Assert.True(File.Exists(path));

        var resumedEpochs = new List<int>();
        var resumed = NetworkTrainer.Train(data, settings, new TrainingRunOptions
        {
            Validation = new InMemoryRowSource(validation), CheckpointPath = path, CheckpointInterval = 3, OnEpoch = e => resumedEpochs.Add(e.Epoch),
        });
        Assert.Equal(Enumerable.Range(7, 6), resumedEpochs); // the checkpoint of epoch 6
        Assert.Equal(Bits(uninterrupted.Network.Parameters.ToArray()), Bits(resumed.Network.Parameters.ToArray()));
        Assert.Equal(uninterrupted.History.Select(h => h.TrainingLoss), resumed.History.Select(h => h.TrainingLoss));
        Assert.Equal(uninterrupted.History.Select(h => h.ValidationLoss), resumed.History.Select(h => h.ValidationLoss));
        Assert.Equal(uninterrupted.BestEpoch, resumed.BestEpoch);
        Assert.False(File.Exists(path), "a completed run removes its checkpoint");
    }

    [Fact]
    public void Lbfgs_resumes_from_a_checkpoint_bit_for_bit()
    {
        var data = Noisy(40, 10);
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [6], Loss = LossKind.Logistic, Optimizer = OptimizerKind.Lbfgs, MaxEpochs = 15, Tolerance = 0, Seed = 3,
        };
        var uninterrupted = NetworkTrainer.Train(data, settings);
        var path = Path.Combine(_folder, "lbfgs.ckpt");
        using var cancel = new CancellationTokenSource();
        NetworkTrainer.Train(data, settings, new TrainingRunOptions
        {
            CheckpointPath = path, Cancellation = cancel.Token, OnEpoch = e => { if (e.Epoch == 5) cancel.Cancel(); },
        });
        var resumed = NetworkTrainer.Train(data, settings, new TrainingRunOptions { CheckpointPath = path });
        Assert.Equal(Bits(uninterrupted.Network.Parameters.ToArray()), Bits(resumed.Network.Parameters.ToArray()));
    }

    [Fact]
    public void A_checkpoint_of_other_settings_is_refused_naming_the_difference()
    {
        var data = Noisy(40, 10);
        var path = Path.Combine(_folder, "other.ckpt");
        using var cancel = new CancellationTokenSource();
        NetworkTrainer.Train(data, Stateful(), new TrainingRunOptions
        {
            CheckpointPath = path, Cancellation = cancel.Token, OnEpoch = e => { if (e.Epoch == 2) cancel.Cancel(); },
        });
        var error = Assert.Throws<InvalidOperationException>(() =>
            NetworkTrainer.Train(data, Stateful(seed: 5), new TrainingRunOptions { CheckpointPath = path }));
        Assert.Contains("Seed=4", error.Message);
        Assert.Contains("Seed=5", error.Message);
    }

    [Fact]
    public void A_damaged_checkpoint_is_refused_with_a_clear_error()
    {
        var path = Path.Combine(_folder, "damaged.ckpt");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        var error = Assert.Throws<InvalidOperationException>(() =>
            NetworkTrainer.Train(Noisy(40, 10), Stateful(), new TrainingRunOptions { CheckpointPath = path }));
        Assert.Contains("cannot be resumed", error.Message);
    }
}
