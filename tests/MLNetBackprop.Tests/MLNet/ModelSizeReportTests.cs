using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>
/// Training logs the model's size, and for a wide input (text, one-hot) how big the first layer is and how to cut it.
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

    [Fact]
    public void A_narrow_first_layer_gets_only_the_size()
    {
        var log = TrainAndLog(hidden: 8);

        Assert.Contains(log, m => m.Contains("The network has 160,017 parameters", StringComparison.Ordinal));
        Assert.DoesNotContain(log, m => m.Contains("first layer holds", StringComparison.Ordinal));
    }
}
