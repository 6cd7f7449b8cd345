using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Randomness;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;
using static MLNetBackprop.Tests.TestSupport.TrainingRuns;

namespace MLNetBackprop.Tests.Engine.Training;

/// <summary>Dropout: gradients through a fixed mask, the share of units dropped and the scaling of the rest, a zero rate.</summary>
public class DropoutTests
{
    [Fact]
    public void Dropout_gradients_match_finite_differences_for_a_fixed_mask()
    {
        var layout = new NetworkLayout(3, [5, 4], 2, ActivationKind.Tanh);
        var parameters = TestData.Uniform(layout.ParameterCount, -0.8f, 0.8f, 7);
        var workspace = new BatchWorkspace(layout, 4, [0.5f, 0.3f]);
        workspace.Gather(new TrainingSet(TestData.Uniform(12, -1, 1, 8), [0, 1, 1, 0], null, 3), [0, 1, 2, 3]);
        double Loss(float[] p) => Backpropagation.LossAndGradient(p, workspace, 4, LossKind.SoftmaxCrossEntropy, 1f, 0f, false, new SeededRandom(9));
        Loss(parameters);
        var analytic = (float[])workspace.Gradient.Clone();
        Assert.Contains(workspace.Masks[0]!.Take(20), m => m == 0);
        for (var i = 0; i < parameters.Length; i += 3)
        {
            var plus = (float[])parameters.Clone();
            var minus = (float[])parameters.Clone();
            plus[i] += 1e-3f;
            minus[i] -= 1e-3f;
            var numeric = (Loss(plus) - Loss(minus)) / 2e-3;
            Assert.True(Math.Abs(numeric - analytic[i]) < 2e-3, $"parameter {i}: numeric {numeric}, analytic {analytic[i]}");
        }
    }

    [Fact]
    public void Dropout_zeroes_about_the_rate_of_units_and_scales_the_rest()
    {
        var layout = new NetworkLayout(2, [200], 1, ActivationKind.Relu);
        var workspace = new BatchWorkspace(layout, 50, [0.3f]);
        workspace.Gather(new TrainingSet(TestData.Uniform(100, -1, 1, 1), new float[50], null, 2), Enumerable.Range(0, 50).ToArray());
        Backpropagation.Forward(TestData.Uniform(layout.ParameterCount, -1, 1, 2), workspace, 50, new SeededRandom(1));
        var mask = workspace.Masks[0]!;
        Assert.InRange(mask.Count(m => m == 0) / (double)mask.Length, 0.28, 0.32);
        Assert.All(mask.Where(m => m != 0), m => Assert.Equal(1f / 0.7f, m));
    }

    [Fact]
    public void A_zero_dropout_rate_trains_exactly_like_no_dropout()
    {
        var data = Noisy(40, 10);
        var plain = NetworkTrainer.Train(data, Overfitting(maxEpochs: 5));
        var zero = NetworkTrainer.Train(data, new TrainingSettings
        {
            HiddenLayerSizes = [64], Loss = LossKind.Logistic, LearningRate = 0.03f, L2 = 0, BatchSize = 8, MaxEpochs = 5,
            Tolerance = 0, Seed = 2, DropoutRates = [0f],
        });
        Assert.Equal(Bits(plain.Network.Parameters.ToArray()), Bits(zero.Network.Parameters.ToArray()));
    }
}
