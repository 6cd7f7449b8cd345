using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.PackageTests;

/// <summary>ML.NET's own tools on the packaged trainer: cross-validation, permutation feature importance, PredictionEngine.</summary>
public class MlnetFeatureTests
{
    private sealed class IrisRow
    {
        [LoadColumn(0, 3), VectorType(4)]
        public float[] Measurements { get; set; } = [];

        [LoadColumn(4)]
        public string Label { get; set; } = "";
    }

    private sealed class IrisPrediction
    {
        public string PredictedLabel { get; set; } = "";

        public float[] Score { get; set; } = [];
    }

    [Fact]
    public void Cross_validation_scores_every_fold()
    {
        var ml = new MLContext(seed: 1);
        var folds = ml.MulticlassClassification.CrossValidate(Consumer.Iris(ml), Consumer.IrisPipeline(ml), numberOfFolds: 3);

        Assert.Equal(3, folds.Count);
        Assert.All(folds, f => Assert.True(f.Metrics.MicroAccuracy > 0.8, $"fold accuracy {f.Metrics.MicroAccuracy}"));
    }

    [Fact]
    public void Permutation_feature_importance_ranks_the_four_measurements()
    {
        var ml = new MLContext(seed: 1);
        var data = Consumer.Iris(ml);
        var prepare = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", "Measurements"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Fit(data);
        var prepared = prepare.Transform(data);
        var model = ml.MulticlassClassification.Trainers.Mlp(hiddenLayerSizes: [16], learningRate: 0.01f, batchSize: 16).Fit(prepared);

        var importance = ml.MulticlassClassification.PermutationFeatureImportance(model, prepared, permutationCount: 2);

        Assert.Equal(4, importance.Length);
        // Petal measurements (features 2 and 3) separate the species; losing them costs accuracy.
        Assert.True(importance.Max(i => -i.MicroAccuracy.Mean) > 0.1, "no feature mattered");
    }

    [Fact]
    public void A_prediction_engine_scores_single_objects()
    {
        var ml = new MLContext(seed: 1);
        var model = Consumer.IrisPipeline(ml).Fit(ml.Data.LoadFromTextFile<IrisRow>(Consumer.IrisPath, separatorChar: ',', hasHeader: true));
        var engine = ml.Model.CreatePredictionEngine<IrisRow, IrisPrediction>(model);

        var prediction = engine.Predict(new IrisRow { Measurements = [5.1f, 3.5f, 1.4f, 0.2f] });

        Assert.Equal("setosa", prediction.PredictedLabel, ignoreCase: true);
        Assert.Equal(3, prediction.Score.Length);
        Assert.Equal(1f, prediction.Score.Sum(), 4);
    }
}
