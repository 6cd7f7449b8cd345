using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Tests.TestSupport;
using Xunit.Abstractions;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>
/// The everyday ML.NET text pipeline on real package descriptions (data/debian-packages.tsv): FeaturizeText gives a
/// wide sparse feature vector; the MLP trains on it, scores it from its non-zeros, and saves and loads.
/// </summary>
public class TextPipelineTests(ITestOutputHelper output)
{
    private sealed class Package
    {
        [LoadColumn(1)]
        public string Section { get; set; } = "";

        [LoadColumn(2)]
        public string Summary { get; set; } = "";

        [LoadColumn(3)]
        public string Description { get; set; } = "";
    }

    [Fact]
    public void A_featurize_text_pipeline_trains_scores_sparse_rows_and_round_trips_through_a_model_file()
    {
        var ml = new MLContext(seed: 1);
        var all = ml.Data.LoadFromTextFile<Package>(ShippedData.PathOf("debian-packages.tsv"), separatorChar: '\t', hasHeader: true,
            allowQuoting: true);
        // A slice of the shuffled packages keeps the test quick while training still densifies its rows.
        var data = ml.Data.TakeRows(all, 600);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Section")
            .Append(ml.Transforms.Text.FeaturizeText("Features", null, "Summary", "Description"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(hiddenLayerSizes: [32], numberOfEpochs: 15));

        var model = pipeline.Fit(split.TrainSet);
        var scored = model.Transform(split.TestSet);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        var features = scored.GetColumn<VBuffer<float>>("Features").ToArray();
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = ml.Model.Load(stream, out _);

        var density = features.Average(f => (double)f.GetValues().Length / f.Length);
        output.WriteLine($"{features[0].Length} features, mean density {density:P2}, test micro accuracy {metrics.MicroAccuracy:F3}");
        Assert.All(features, f => Assert.False(f.IsDense)); // the rows really reach the model sparse
        Assert.True(features[0].Length > 1000, $"only {features[0].Length} features");
        Assert.True(metrics.MicroAccuracy > 2.0 / 19, $"micro accuracy {metrics.MicroAccuracy:F3} is near chance (1/19)");
        Assert.Equal(scored.GetColumn<float[]>("Score"), loaded.Transform(split.TestSet).GetColumn<float[]>("Score"));
    }
}
