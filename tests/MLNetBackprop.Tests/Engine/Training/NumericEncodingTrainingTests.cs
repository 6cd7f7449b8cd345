using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;
using static MLNetBackprop.Tests.TestSupport.TrainingRuns;

namespace MLNetBackprop.Tests.Engine.Training;

/// <summary>Training with the network's own piecewise-linear encoding of numeric features.</summary>
public class NumericEncodingTrainingTests
{
    // Class 1 inside a band of feature 0, |x₀| < 0.5: no linear rule of the raw features separates it.
    private static TrainingSet Band(int rows, long seed)
    {
        var x = TestData.Uniform(rows * 2, -1, 1, seed);
        var y = Enumerable.Range(0, rows).Select(r => Math.Abs(x[2 * r]) < 0.5f ? 1f : 0f).ToArray();
        return new TrainingSet(x, y, null, 2);
    }

    private static TrainingSettings Linear(int bins, int epochs = 150) => new()
    {
        HiddenLayerSizes = [], Loss = LossKind.Logistic, LearningRate = 0.05f, L2 = 0, BatchSize = 20, MaxEpochs = epochs,
        Tolerance = 0, Seed = 3, InputScaling = InputScalingKind.Robust, NumericEncodingBins = bins,
    };

    [Fact]
    public void A_linear_model_on_encoded_features_learns_a_band_that_the_raw_features_cannot_express()
    {
        var train = Band(400, 31);
        var test = Band(400, 32);
        var encoded = NetworkTrainer.Train(train, Linear(8));
        var raw = NetworkTrainer.Train(train, Linear(0));
        Assert.Equal(2, encoded.Network.FeatureCount);
        Assert.Equal(2 + 16, encoded.Network.Layout.InputCount);
        Assert.Null(raw.Network.Encoding);
        Assert.True(Accuracy(encoded, test) > 0.9, $"encoded accuracy {Accuracy(encoded, test)}");
        Assert.True(Accuracy(raw, test) < 0.75, $"raw accuracy {Accuracy(raw, test)}");
    }

    [Fact]
    public void Training_with_an_encoding_gives_the_same_bits_on_one_thread_and_two()
    {
        var data = Noisy(200, 33);
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [16], Loss = LossKind.Logistic, LearningRate = 0.01f, BatchSize = 32, MaxEpochs = 5,
            Seed = 4, InputScaling = InputScalingKind.Robust, NumericEncodingBins = 8,
        };
        float[] Run(int threads)
        {
            using var scope = new ThreadCountScope(threads);
            return NetworkTrainer.Train(data, settings).Network.Parameters.ToArray();
        }
        Assert.Equal(Bits(Run(1)), Bits(Run(2)));
    }

    [Fact]
    public void A_warm_start_keeps_its_encoding()
    {
        var data = Band(100, 34);
        var first = NetworkTrainer.Train(data, Linear(4, epochs: 2));
        var continued = NetworkTrainer.Train(Band(100, 35), Linear(4, epochs: 2), new TrainingRunOptions
        {
            InitialParameters = first.Network.Parameters.ToArray(),
            InitialEncoding = first.Network.Encoding,
            InitialScaling = first.Network.Scaling,
        });
        Assert.Same(first.Network.Encoding, continued.Network.Encoding);
        Assert.Same(first.Network.Scaling, continued.Network.Scaling);
    }

    [Fact]
    public void Sparse_rows_refuse_an_encoding_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(Sparse(), Linear(8)));
        Assert.Equal(nameof(TrainingSettings.NumericEncodingBins), error.ParamName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(TrainingSettings.MaxNumericEncodingBins + 1)]
    public void A_bin_count_out_of_range_is_refused(int bins)
    {
        var error = Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(Band(20, 36), Linear(bins)));
        Assert.Equal(nameof(TrainingSettings.NumericEncodingBins), error.ParamName);
    }
}
