using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Model;

public class PiecewiseLinearEncodingTests
{
    // Feature 0 in three bins with edges 0, 1, 3, 7; feature 1 not encoded; feature 2 in one bin from −1 to 1.
    private static PiecewiseLinearEncoding Example()
        => new(3, [0, 0, 0, 2], [0f, 1f, 3f, -1f], [1f, 0.5f, 0.25f, 0.5f]);

    [Fact]
    public void A_row_keeps_its_features_and_gains_each_bins_position_clamped_inside_and_open_at_the_ends()
    {
        var encoding = Example();
        Assert.Equal(7, encoding.EncodedCount);
        float[] rows = [2f, 5f, 0f, -1f, 5f, 3f, 10f, 5f, -2f];
        var encoded = new float[3 * 7];
        encoding.Apply(rows, encoded, 3);
        // x = 2: full first bin, halfway through the second, not yet in the third; 0 is halfway through [−1, 1].
        Assert.Equal([2f, 5f, 0f, 1f, 0.5f, 0f, 0.5f], encoded[..7]);
        // x = −1 lies below the first bin, which extends linearly; 3 is the one bin's upper edge and beyond.
        Assert.Equal([-1f, 5f, 3f, -1f, 0f, 0f, 2f], encoded[7..14]);
        // x = 10 lies above the last bin, which extends linearly: (10 − 3) / 4.
        Assert.Equal([10f, 5f, -2f, 1f, 1f, 1.75f, -0.5f], encoded[14..]);
    }

    [Fact]
    public void A_missing_value_stays_missing_in_every_bin_of_its_feature()
    {
        var encoded = new float[7];
        Example().Apply([float.NaN, 1f, 0f], encoded, 1);
        Assert.All(encoded[3..6], value => Assert.True(float.IsNaN(value)));
        Assert.Equal(0.5f, encoded[6]);
    }

    [Fact]
    public void Bins_out_of_order_or_with_unusable_edges_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new PiecewiseLinearEncoding(2, [1, 0], [0f, 0f], [1f, 1f]));
        Assert.Throws<ArgumentException>(() => new PiecewiseLinearEncoding(2, [2], [0f], [1f]));
        Assert.Throws<ArgumentException>(() => new PiecewiseLinearEncoding(2, [0], [float.NaN], [1f]));
        Assert.Throws<ArgumentException>(() => new PiecewiseLinearEncoding(2, [0], [0f], [0f]));
        Assert.Throws<ArgumentException>(() => new PiecewiseLinearEncoding(2, [0], [0f], [float.PositiveInfinity]));
    }

    [Fact]
    public void An_encoding_network_predicts_as_a_plain_one_on_encoded_rows_in_every_path()
    {
        const int rows = 300; // more than one PredictBatch chunk
        var encoding = Example();
        var layout = new NetworkLayout(encoding.EncodedCount, [9], 2, ActivationKind.Tanh);
        var parameters = TestData.Uniform(layout.ParameterCount, -1, 1, 7);
        var scaling = new InputScaling(TestData.Uniform(7, -1, 1, 8), TestData.Uniform(7, 0.2f, 2, 9));
        var encoded = new Network(layout, parameters, scaling, encoding);
        var plain = new Network(layout, (float[])parameters.Clone());
        var features = TestData.SparseMatrix(rows, 3, 0.5, 10);
        var prepared = new float[rows * 7];
        encoding.Apply(features, prepared, rows);
        scaling.ApplyDense(prepared, rows);

        var expected = new float[rows * 2];
        plain.PredictBatch(prepared, expected, rows);
        Assert.Equal(3, encoded.FeatureCount);
        PredictionPaths.AssertEveryPathGives(encoded, features, rows, expected);
    }

    [Fact]
    public void Training_batches_are_encoded_as_prediction_encodes_rows()
    {
        const int rows = 40;
        var encoding = Example();
        var layout = new NetworkLayout(encoding.EncodedCount, [6], 2, ActivationKind.Relu);
        var scaling = new InputScaling(TestData.Uniform(7, -1, 1, 11), TestData.Uniform(7, 0.2f, 2, 12));
        var network = new Network(layout, TestData.Uniform(layout.ParameterCount, -1, 1, 13), scaling, encoding);
        var features = TestData.Uniform(rows * 3, -4, 9, 14);
        var workspace = new BatchWorkspace(layout, rows) { Scaling = scaling, Encoding = encoding };
        PredictionPaths.AssertTrainingForwardGivesPredictions(network, workspace, features, rows);
    }

    [Fact]
    public void A_network_whose_layout_does_not_take_the_encoded_row_is_rejected()
    {
        var layout = new NetworkLayout(3, [4], 1, ActivationKind.Relu);
        Assert.Throws<ArgumentException>(() => new Network(layout, new float[layout.ParameterCount], null, Example()));
    }
}
