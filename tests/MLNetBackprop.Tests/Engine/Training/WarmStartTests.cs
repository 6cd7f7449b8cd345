using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Training;
using static MLNetBackprop.Tests.TestSupport.TrainingRuns;

namespace MLNetBackprop.Tests.Engine.Training;

/// <summary>Warm start: training continues from the given parameters, which must have the network's shape.</summary>
public class WarmStartTests
{
    [Fact]
    public void Warm_start_continues_from_the_given_parameters()
    {
        var data = Noisy(40, 10);
        var first = NetworkTrainer.Train(data, Overfitting(maxEpochs: 20));
        var continued = NetworkTrainer.Train(data, Overfitting(maxEpochs: 1),
            new TrainingRunOptions { InitialParameters = first.Network.Parameters.ToArray() });
        var fresh = NetworkTrainer.Train(data, Overfitting(maxEpochs: 1));
        Assert.True(continued.History[0].TrainingLoss < fresh.History[0].TrainingLoss);
        Assert.InRange(continued.History[0].TrainingLoss, 0, first.History[^1].TrainingLoss * 1.2);
    }

    [Fact]
    public void Warm_start_parameters_of_another_shape_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(Noisy(40, 10), Overfitting(),
            new TrainingRunOptions { InitialParameters = new float[10] }));
        Assert.Equal("InitialParameters", error.ParamName);
    }

    [Fact]
    public void A_warm_start_keeps_its_input_scaling_and_a_fresh_run_fits_one()
    {
        var data = Noisy(40, 10);
        var settings = WithRobustScaling(Overfitting(maxEpochs: 2));
        var first = NetworkTrainer.Train(data, settings);
        Assert.NotNull(first.Network.Scaling);
        var kept = new InputScaling(new float[data.FeatureCount], Enumerable.Repeat(0.5f, data.FeatureCount).ToArray());
        var continued = NetworkTrainer.Train(data, settings,
            new TrainingRunOptions { InitialParameters = first.Network.Parameters.ToArray(), InitialScaling = kept });
        Assert.Same(kept, continued.Network.Scaling);
    }

    private static TrainingSettings WithRobustScaling(TrainingSettings s) => new()
    {
        HiddenLayerSizes = s.HiddenLayerSizes, Loss = s.Loss, OutputCount = s.OutputCount, LearningRate = s.LearningRate,
        BatchSize = s.BatchSize, MaxEpochs = s.MaxEpochs, Tolerance = s.Tolerance, Seed = s.Seed, L2 = s.L2,
        InputScaling = InputScalingKind.Robust,
    };
}
