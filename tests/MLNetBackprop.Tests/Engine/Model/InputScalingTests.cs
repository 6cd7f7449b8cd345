using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Model;

public class InputScalingTests
{
    private static double Expected(double x, double center, double factor)
    {
        var z = (x - center) * factor;
        return z / Math.Sqrt(1 + z * z / 9);
    }

    [Fact]
    public void A_dense_row_is_centered_scaled_and_smoothly_clipped()
    {
        var scaling = new InputScaling([1f, 0f, -2f], [0.5f, 2f, 0f]);
        float[] row = [3f, 0.25f, 7f];
        scaling.ApplyDense(row, 1);
        Assert.Equal(Expected(3, 1, 0.5), row[0], 1e-6);
        Assert.Equal(Expected(0.25, 0, 2), row[1], 1e-6);
        Assert.Equal(0f, row[2]); // a constant feature's factor is 0
    }

    [Fact]
    public void Outliers_stay_within_the_clip_bound()
    {
        var scaling = new InputScaling([0f], [1f]);
        float[] rows = [1e30f, -1e6f, 3f];
        scaling.ApplyDense(rows, 3);
        Assert.InRange(rows[0], 2.99f, 3f);
        Assert.InRange(rows[1], -3f, -2.99f);
        Assert.Equal(3 / Math.Sqrt(2), rows[2], 1e-6);
    }

    [Fact]
    public void Sparse_values_scale_as_the_dense_row_does_when_uncentered()
    {
        var scaling = new InputScaling(new float[6], TestData.Uniform(6, 0.1f, 3, 5));
        var dense = new float[6];
        int[] indices = [1, 4];
        float[] values = [2.5f, -7f];
        dense[1] = values[0];
        dense[4] = values[1];
        scaling.ApplyDense(dense, 1);
        scaling.ApplySparse(indices, values);
        Assert.Equal(dense[1], values[0]);
        Assert.Equal(dense[4], values[1]);
    }

    [Fact]
    public void A_centered_scaling_refuses_sparse_values()
    {
        var scaling = new InputScaling([0f, 1f], [1f, 1f]);
        Assert.True(scaling.IsCentered);
        Assert.Throws<InvalidOperationException>(() => scaling.ApplySparse([0], [1f]));
    }

    [Fact]
    public void Non_finite_centers_or_factors_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new InputScaling([float.NaN], [1f]));
        Assert.Throws<ArgumentException>(() => new InputScaling([0f], [float.PositiveInfinity]));
        Assert.Throws<ArgumentException>(() => new InputScaling([0f, 0f], [1f]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_scaling_network_predicts_as_an_unscaled_one_on_scaled_rows_in_every_path(bool centered)
    {
        const int rows = 300; // more than one PredictBatch chunk
        var layout = new NetworkLayout(5, [9], 3, ActivationKind.Tanh);
        var parameters = TestData.Uniform(layout.ParameterCount, -1, 1, 7);
        var scaling = new InputScaling(centered ? TestData.Uniform(5, -1, 1, 8) : new float[5], TestData.Uniform(5, 0.2f, 2, 9));
        var scaled = new Network(layout, parameters, scaling);
        var plain = new Network(layout, (float[])parameters.Clone());
        var features = TestData.SparseMatrix(rows, 5, 0.4, 10);
        var prescaled = (float[])features.Clone();
        scaling.ApplyDense(prescaled, rows);

        var expected = new float[rows * 3];
        plain.PredictBatch(prescaled, expected, rows);
        PredictionPaths.AssertEveryPathGives(scaled, features, rows, expected);
    }

    [Fact]
    public void Training_batches_are_scaled_as_prediction_scales_rows()
    {
        const int rows = 40;
        var layout = new NetworkLayout(5, [6], 2, ActivationKind.Relu);
        var scaling = new InputScaling(TestData.Uniform(5, -1, 1, 11), TestData.Uniform(5, 0.2f, 2, 12));
        var network = new Network(layout, TestData.Uniform(layout.ParameterCount, -1, 1, 13), scaling);
        var features = TestData.Uniform(rows * 5, -4, 4, 14);
        PredictionPaths.AssertTrainingForwardGivesPredictions(network, new BatchWorkspace(layout, rows) { Scaling = scaling }, features, rows);
    }
}
