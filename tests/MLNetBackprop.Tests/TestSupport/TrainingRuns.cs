using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>The noisy two-class data, overfitting settings and measures shared by the training-run tests.</summary>
internal static class TrainingRuns
{
    // Noisy two-class data: feature 0 decides the class, but 30% of the labels are flipped, so a wide network
    // overfits the 40 training rows and its validation loss turns up after a few epochs.
    public static TrainingSet Noisy(int rows, long seed)
    {
        var x = TestData.Uniform(rows * 2, -1, 1, seed);
        var flip = TestData.Uniform(rows, 0, 1, seed + 1);
        var y = Enumerable.Range(0, rows).Select(r => (x[2 * r] > 0) ^ (flip[r] < 0.3f) ? 1f : 0f).ToArray();
        return new TrainingSet(x, y, null, 2);
    }

    // Rows whose class a linear rule of the first three features decides, with example weights in [0.5, 1.5].
    public static TrainingSet Learnable(int rows, int width = 6, long seed = 11)
    {
        var x = TestData.Uniform(rows * width, -1, 1, seed);
        var y = Enumerable.Range(0, rows)
            .Select(r => x[r * width] + 0.5f * x[r * width + 1] - 0.7f * x[r * width + 2] > 0 ? 1f : 0f).ToArray();
        return new TrainingSet(x, y, TestData.Uniform(rows, 0.5f, 1.5f, seed + 1), width);
    }

    // Sparse rows at 5% density, classed by whether their first half outweighs their second, with example weights.
    public static TrainingSet Sparse(int rows = 150, int width = 120)
    {
        var x = TestData.SparseMatrix(rows, width, 0.05, 12);
        var y = Enumerable.Range(0, rows).Select(r => x.AsSpan(r * width, width / 2).ToArray().Sum() > x.AsSpan(r * width + width / 2, width / 2).ToArray().Sum() ? 1f : 0f).ToArray();
        return new TrainingSet(SparseRows.FromDense(x, width), y, TestData.Uniform(rows, 0.5f, 1.5f, 13));
    }

    public static TrainingSettings Overfitting(int maxEpochs = 60, float tolerance = 0) => new()
    {
        HiddenLayerSizes = [64], Loss = LossKind.Logistic, LearningRate = 0.03f, L2 = 0, BatchSize = 8,
        MaxEpochs = maxEpochs, Tolerance = tolerance, EpochsWithoutImprovement = 5, Seed = 2,
    };

    public static double LossOf(Network network, TrainingSet set)
    {
        var outputs = new float[set.RowCount];
        network.PredictBatch(set.Features, outputs, set.RowCount);
        return ReferenceNetwork.MeanLoss(LossKind.Logistic, 1, outputs.Select(v => (double)v).ToArray(), set.Targets, null, 1);
    }

    // The share of rows of a two-class set whose logit has the sign of their class.
    public static double Accuracy(TrainingResult result, TrainingSet test)
    {
        var outputs = new float[test.RowCount];
        result.Network.PredictBatch(test.Features, outputs, test.RowCount);
        return outputs.Select((o, r) => o > 0 == test.Targets[r] > 0.5f ? 1.0 : 0).Average();
    }

    public static int[] Bits(float[] p) => p.Select(BitConverter.SingleToInt32Bits).ToArray();
}
