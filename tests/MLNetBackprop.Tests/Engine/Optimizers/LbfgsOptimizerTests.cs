using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;
using static MLNetBackprop.Tests.TestSupport.TrainingRuns;

namespace MLNetBackprop.Tests.Engine.Optimizers;

/// <summary>L-BFGS: the least-squares optimum of a linear model, and a falling loss on a hidden-layer network.</summary>
public class LbfgsOptimizerTests
{
    [Fact]
    public void Lbfgs_reaches_the_least_squares_optimum_of_a_linear_model()
    {
        // y = 1.5·x0 − 2·x1 + 0.3·x2 + 0.7 + noise; the optimum is the ordinary least-squares solution, computed here
        // from the normal equations in double.
        const int rows = 80;
        var x = TestData.Uniform(rows * 3, -1, 1, 61);
        var noise = TestData.Uniform(rows, -0.2f, 0.2f, 62);
        var y = Enumerable.Range(0, rows).Select(r => 1.5f * x[3 * r] - 2 * x[3 * r + 1] + 0.3f * x[3 * r + 2] + 0.7f + noise[r]).ToArray();
        var result = NetworkTrainer.Train(new TrainingSet(x, y, null, 3), new TrainingSettings
        {
            HiddenLayerSizes = [], Loss = LossKind.SquaredError, Optimizer = OptimizerKind.Lbfgs, L2 = 0, MaxEpochs = 100, Tolerance = 0,
        });

        var optimum = LeastSquares(x, y, rows, 3);
        var p = result.Network.Parameters.ToArray(); // [w0, w1, w2, b]
        for (var i = 0; i < 4; i++)
            Assert.Equal(optimum[i], p[i], 1e-4);
        Assert.True(result.History.Count < 100, "L-BFGS should converge well before 100 iterations on 4 parameters");
        Assert.Equal(StopReason.Converged, result.StopReason);
    }

    [Fact]
    public void Lbfgs_trains_a_hidden_layer_network_to_a_lower_loss_than_its_start()
    {
        var data = Noisy(40, 10);
        var result = NetworkTrainer.Train(data, new TrainingSettings
        {
            HiddenLayerSizes = [8], HiddenActivation = ActivationKind.Tanh, Loss = LossKind.Logistic, Optimizer = OptimizerKind.Lbfgs,
            MaxEpochs = 50, Tolerance = 0, Seed = 1,
        });
        Assert.True(result.History[^1].TrainingLoss < 0.8 * result.History[0].TrainingLoss);
        Assert.True(result.History.Zip(result.History.Skip(1)).All(p => p.Second.TrainingLoss <= p.First.TrainingLoss),
            "each L-BFGS iteration satisfies the Armijo condition, so the full-batch loss never rises");
    }

    private static double[] LeastSquares(float[] x, float[] y, int rows, int features)
    {
        var n = features + 1;
        var a = new double[n, n + 1];
        for (var r = 0; r < rows; r++)
        {
            var row = new double[n];
            for (var j = 0; j < features; j++)
                row[j] = x[r * features + j];
            row[features] = 1;
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                    a[i, j] += row[i] * row[j];
                a[i, n] += row[i] * y[r];
            }
        }
        for (var c = 0; c < n; c++) // Gauss-Jordan; the normal matrix is well conditioned here
            for (var r = 0; r < n; r++)
            {
                if (r == c)
                    continue;
                var f = a[r, c] / a[c, c];
                for (var k = c; k <= n; k++)
                    a[r, k] -= f * a[c, k];
            }
        return Enumerable.Range(0, n).Select(i => a[i, n] / a[i, i]).ToArray();
    }
}
