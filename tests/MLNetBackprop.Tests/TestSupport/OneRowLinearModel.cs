using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>
/// A linear model (one input, no hidden layer, one output): parameters [w, b], one row x = 1, target 0, squared
/// error. From w = 0.5, b = 0.2 the output is 0.7, so the gradient is (0.7, 0.7).
/// </summary>
internal static class OneRowLinearModel
{
    private static readonly TrainingSet OneRow = new([1f], [0f], null, 1);

    /// <summary>The parameters after one epoch (one step) from w = 0.5, b = 0.2.</summary>
    public static float[] TrainOneEpoch(TrainingSettings settings)
    {
        var result = NetworkTrainer.Train(OneRow, settings, new TrainingRunOptions { InitialParameters = [0.5f, 0.2f] });
        return result.Network.Parameters.ToArray();
    }

    /// <summary>One epoch of plain steps with η = 0.1: no momentum, no L2.</summary>
    public static TrainingSettings Settings(OptimizerKind optimizer) => new()
    {
        HiddenLayerSizes = [], Loss = LossKind.SquaredError, Optimizer = optimizer, LearningRate = 0.1f, Momentum = 0,
        L2 = 0, BatchSize = 1, MaxEpochs = 1, Tolerance = 0,
    };
}
