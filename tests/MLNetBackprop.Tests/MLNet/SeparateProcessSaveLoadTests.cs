using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>
/// Saves fitted pipelines with mlContext.Model.Save, then loads and scores them in a separate process
/// (tests/MLNetBackprop.LoadProbe) that never names this library's types, and compares the predictions.
/// </summary>
public class SeparateProcessSaveLoadTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-saveload-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Saved_multiclass_model_predicts_identically_in_a_fresh_process()
    {
        var ml = new MLContext(seed: 3);
        var data = ShippedData.Iris(ml);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", "Measurements"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(hiddenLayerSizes: [16, 8], numberOfEpochs: 50))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        AssertFreshProcessReproduces(ml, pipeline.Fit(data), data, "Score", "PredictedLabel");
    }

    [Fact]
    public void Saved_binary_model_predicts_identically_in_a_fresh_process()
    {
        var ml = new MLContext(seed: 3);
        var data = ShippedData.BreastCancer(ml);
        var pipeline = ShippedData.MalignantAsLabel(ml)
            .Append(ml.Transforms.Concatenate("Features", "Measurements"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.BinaryClassification.Trainers.Mlp(numberOfEpochs: 20));
        AssertFreshProcessReproduces(ml, pipeline.Fit(data), data, "Score", "Probability", "PredictedLabel");
    }

    [Fact]
    public void Saved_regression_model_predicts_identically_in_a_fresh_process()
    {
        var ml = new MLContext(seed: 3);
        var data = ShippedData.Diabetes(ml);
        var pipeline = ml.Transforms.Concatenate("Features", "Measurements")
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options { NumberOfEpochs = 20, Loss = MlpRegressionLoss.Huber }));
        AssertFreshProcessReproduces(ml, pipeline.Fit(data), data, "Score");
    }

    [Fact]
    public void Saved_multi_output_regression_model_predicts_identically_in_a_fresh_process()
    {
        var ml = new MLContext(seed: 3);
        var data = VectorLabelRows.View(ml, count: 150);
        var pipeline = VectorLabelRows.RegressionLabel(ml).Append(ml.Regression.Trainers.Mlp(hiddenLayerSizes: [16], numberOfEpochs: 20));
        AssertFreshProcessReproduces(ml, pipeline.Fit(data), data, "Score");
    }

    [Fact]
    public void Saved_multi_label_model_predicts_identically_in_a_fresh_process()
    {
        var ml = new MLContext(seed: 3);
        var data = VectorLabelRows.View(ml, count: 150);
        var pipeline = VectorLabelRows.TagLabel(ml).Append(ml.BinaryClassification.Trainers.Mlp(hiddenLayerSizes: [16], numberOfEpochs: 20));
        AssertFreshProcessReproduces(ml, pipeline.Fit(data), data, "Score", "Probability", "PredictedLabels", "PredictedLabel");
    }

    [Fact]
    public void Saved_sparse_trained_model_predicts_sparse_rows_identically_in_a_fresh_process()
    {
        var (ml, log) = TrainingLog.Context(seed: 3);
        var data = FeatureInput.Sparse.View(ml, ConformanceRow.Generate(150, 4, seed: 8), 4);
        var model = TrainerUnderTest.Multiclass.Pipeline(ml, o => o.NumberOfEpochs = 20).Fit(data);

        AssertFreshProcessReproduces(ml, model, data, "Score", "PredictedLabel");

        FeatureInput.Sparse.AssertTrainingStorage(log);
        var saved = ml.Data.LoadFromBinary(Path.Combine(_folder, "data.idv")).GetColumn<VBuffer<float>>("Features");
        Assert.All(saved, f => Assert.False(f.IsDense)); // the fresh process scored sparse rows
    }

    private void AssertFreshProcessReproduces(MLContext ml, ITransformer model, IDataView data, params string[] columns)
    {
        var modelPath = Path.Combine(_folder, "model.zip");
        var dataPath = Path.Combine(_folder, "data.idv");
        var expectedPath = Path.Combine(_folder, "expected.tsv");
        var actualPath = Path.Combine(_folder, "actual.tsv");
        ml.Model.Save(model, data.Schema, modelPath);
        using (var stream = File.Create(dataPath))
            ml.Data.SaveAsBinary(data, stream);
        var scored = ml.Transforms.SelectColumns(columns).Fit(model.Transform(data)).Transform(model.Transform(data));
        using (var stream = File.Create(expectedPath))
            ml.Data.SaveAsText(scored, stream, separatorChar: '\t', headerRow: true, schema: false);

        RunLoadProbe(modelPath, dataPath, actualPath, columns);

        var expected = File.ReadAllLines(expectedPath);
        var actual = File.ReadAllLines(actualPath);
        Assert.True(expected.Length > 100, "too few scored rows to compare");
        Assert.Equal(expected, actual);
    }

    private static void RunLoadProbe(string modelPath, string dataPath, string outputPath, string[] columns)
    {
        var run = BuiltProgram.Run("tests/MLNetBackprop.LoadProbe", "MLNetBackprop.LoadProbe",
            new[] { modelPath, dataPath, outputPath }.Concat(columns));
        Assert.True(run.ExitCode == 0, $"the load probe failed ({run.ExitCode}):\n{run.Output}\n{run.Error}");
    }
}
