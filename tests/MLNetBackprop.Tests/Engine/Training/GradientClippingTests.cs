using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Training;

/// <summary>Clipping the gradient to a global norm, asserted against a hand computation to 1e-6.</summary>
public class GradientClippingTests
{
    [Fact]
    public void A_gradient_above_the_clip_norm_is_scaled_down_to_it()
    {
        // ‖(0.7, 0.7)‖ = 0.98995 > 0.5, so each component becomes 0.7·0.5/0.98995 = 0.35355; SGD with η = 0.1.
        var p = OneRowLinearModel.TrainOneEpoch(new TrainingSettings
        {
            HiddenLayerSizes = [], Loss = LossKind.SquaredError, Optimizer = OptimizerKind.Sgd, Momentum = 0,
            LearningRate = 0.1f, GradientClipNorm = 0.5f, L2 = 0, BatchSize = 1, MaxEpochs = 1, Tolerance = 0,
        });
        Assert.Equal(0.46464466094067264, p[0], 1e-6);
        Assert.Equal(0.16464466094067262, p[1], 1e-6);
    }

    [Fact]
    public void A_gradient_below_the_clip_norm_is_left_alone()
    {
        float[] g = [0.3f, -0.4f];
        Assert.Equal(0.5, GradientClipping.ClipByGlobalNorm(g, 1f), 1e-7);
        Assert.Equal([0.3f, -0.4f], g);
    }
}
