using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.RowSources;
using MLNetBackprop.Engine.Training;
using static MLNetBackprop.Tests.TestSupport.TrainingRuns;

namespace MLNetBackprop.Tests.Engine.Training;

/// <summary>Validation during training: the best epoch is returned, early stopping waits the patience, accuracy as the metric.</summary>
public class EarlyStoppingTests
{
    [Fact]
    public void With_a_validation_set_the_returned_network_is_the_best_epoch_of_the_history_not_the_last()
    {
        var validation = Noisy(200, 20);
        var result = NetworkTrainer.Train(Noisy(40, 10), Overfitting(), new TrainingRunOptions { Validation = new InMemoryRowSource(validation) });

        var losses = result.History.Select(h => h.ValidationLoss!.Value).ToList();
        var best = losses.IndexOf(losses.Min()) + 1;
        Assert.Equal(best, result.BestEpoch);
        Assert.True(best < result.History.Count, $"the validation loss should turn up before the end (best epoch {best})");
        Assert.Equal(losses[best - 1], LossOf(result.Network, validation), 1e-5);
        Assert.NotEqual(losses[^1], LossOf(result.Network, validation), 1e-5);
        Assert.All(result.History, h => Assert.NotNull(h.ValidationAccuracy));
    }

    [Fact]
    public void Early_stopping_ends_patience_epochs_after_the_last_improvement_by_the_tolerance()
    {
        var result = NetworkTrainer.Train(Noisy(40, 10), Overfitting(maxEpochs: 500, tolerance: 1e-3f),
            new TrainingRunOptions { Validation = new InMemoryRowSource(Noisy(200, 20)) });
        Assert.Equal(StopReason.NoImprovement, result.StopReason);
        Assert.True(result.StoppedByTolerance);
        // Replay the rule on the recorded validation losses: it fires first at the last epoch.
        double best = double.PositiveInfinity;
        var stale = 0;
        for (var i = 0; i < result.History.Count; i++)
        {
            var loss = result.History[i].ValidationLoss!.Value;
            stale = loss > best - 1e-3f ? stale + 1 : 0;
            best = Math.Min(best, loss);
            Assert.Equal(i == result.History.Count - 1, stale >= 5);
        }
    }

    [Fact]
    public void Early_stopping_on_accuracy_keeps_the_epoch_with_the_highest_validation_accuracy()
    {
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [64], Loss = LossKind.Logistic, LearningRate = 0.03f, L2 = 0, BatchSize = 8, MaxEpochs = 40,
            Tolerance = 0, Seed = 2, StoppingMetric = StoppingMetric.Accuracy,
        };
        var result = NetworkTrainer.Train(Noisy(40, 10), settings, new TrainingRunOptions { Validation = new InMemoryRowSource(Noisy(200, 20)) });
        var accuracies = result.History.Select(h => h.ValidationAccuracy!.Value).ToList();
        Assert.Equal(accuracies.IndexOf(accuracies.Max()) + 1, result.BestEpoch);
    }
}
