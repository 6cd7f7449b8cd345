using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>
/// Training logs the model's size, and for a wide input (text, one-hot) how big the first layer is and how to cut it;
/// after a numeric encoding, the size of the network it gave.
/// </summary>
public class ModelSizeReportTests
{
    private sealed class Row
    {
        [VectorType(Width)]
        public VBuffer<float> Features { get; set; }

        public float Label { get; set; }
    }

    private const int Width = 20_000;

    private static List<string> TrainAndLog(int hidden)
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        var rows = Enumerable.Range(0, 20).Select(r => new Row
        {
            Features = new VBuffer<float>(Width, 2, [1f, 0.5f], [r, (r * 7) + 100]),
            Label = r % 3,
        });
        ml.Regression.Trainers.Mlp(hiddenLayerSizes: [hidden], numberOfEpochs: 1).Fit(ml.Data.LoadFromEnumerable(rows));
        return messages;
    }

    [Fact]
    public void A_wide_first_layer_is_reported_with_how_to_shrink_it()
    {
        var log = TrainAndLog(hidden: 64);

        Assert.Contains(log, m => m.Contains("The network has 1,280,129 parameters (4.9 MB in the model file).", StringComparison.Ordinal));
        Assert.Contains(log, m => m.Contains("first layer holds 20,000 features x 64 = 1,280,000 weights", StringComparison.Ordinal)
            && m.Contains("OneHotHashEncoding", StringComparison.Ordinal));
    }

    private sealed class TableRow
    {
        [VectorType(3)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    [Fact]
    public void The_size_of_the_network_the_numeric_encoding_gave_is_reported_after_training()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        var rows = Enumerable.Range(0, 200).Select(r => new TableRow { Features = [r, r % 17, (r * 31) % 101], Label = r % 5 });
        var model = ml.Regression.Trainers.Mlp(hiddenLayerSizes: [8], numberOfEpochs: 2).Fit(ml.Data.LoadFromEnumerable(rows)).Model;

        var inputs = model.LayerSizes[0];
        Assert.True(inputs > 3, "the defaults encode these three numeric features");
        var parameters = (inputs * 8) + 8 + 8 + 1;
        Assert.Contains(messages, m => m.Contains($"The numeric encoding added {inputs - 3} inputs: the trained network is {inputs}-8-1, {parameters:N0} parameters",
            StringComparison.Ordinal));
    }

    [Fact]
    public void A_narrow_first_layer_gets_only_the_size()
    {
        var log = TrainAndLog(hidden: 8);

        Assert.Contains(log, m => m.Contains("The network has 160,017 parameters", StringComparison.Ordinal));
        Assert.DoesNotContain(log, m => m.Contains("first layer holds", StringComparison.Ordinal));
    }
}
