using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.MLNet;

public class VectorLabelTests
{
    private static MlpRegressionTrainer.Options RegressionOptions(Action<MlpRegressionTrainer.Options>? change = null)
    {
        var options = new MlpRegressionTrainer.Options { HiddenLayerSizes = [32], NumberOfEpochs = 300, BatchSize = 32 };
        change?.Invoke(options);
        return options;
    }

    private static MlpBinaryTrainer.Options MultiLabelOptions(Action<MlpBinaryTrainer.Options>? change = null)
    {
        var options = new MlpBinaryTrainer.Options { HiddenLayerSizes = [32], NumberOfEpochs = 200, BatchSize = 32 };
        change?.Invoke(options);
        return options;
    }

    private static TransformerChain<RegressionPredictionTransformer<MlpRegressionModelParameters>> FitRegression(MLContext ml, IDataView data, MlpRegressionTrainer.Options options)
        => VectorLabelRows.RegressionLabel(ml).Append(ml.Regression.Trainers.Mlp(options)).Fit(data);

    private static TransformerChain<BinaryPredictionTransformer<MlpBinaryModelParameters>> FitMultiLabel(MLContext ml, IDataView data, MlpBinaryTrainer.Options options)
        => VectorLabelRows.TagLabel(ml).Append(ml.BinaryClassification.Trainers.Mlp(options)).Fit(data);

    [Fact]
    public void Multi_output_regression_scores_each_target_with_the_label_slot_names()
    {
        var ml = new MLContext(seed: 1);
        var model = FitRegression(ml, VectorLabelRows.View(ml), RegressionOptions());
        var scored = model.Transform(VectorLabelRows.View(ml, seed: 6));

        var score = scored.Schema["Score"];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), score.Type);
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        score.GetSlotNames(ref names);
        Assert.Equal(VectorLabelRows.Targets, names.DenseValues().Select(n => n.ToString()));
        var metrics = ml.Regression.EvaluateMultiOutput(scored);
        Assert.Equal(VectorLabelRows.Targets, metrics.TargetNames);
        Assert.All(metrics.PerTargetRSquared, r2 => Assert.True(r2 > 0.9, $"R² {r2}"));
        Assert.True(metrics.PerTargetRootMeanSquaredError[2] > 10 * metrics.PerTargetRootMeanSquaredError[0],
            "errors are in each target's own units");
    }

    [Fact]
    public void Multi_label_classification_scores_vectors_of_logits_probabilities_and_labels()
    {
        var ml = new MLContext(seed: 1);
        var model = FitMultiLabel(ml, VectorLabelRows.View(ml), MultiLabelOptions());
        var scored = model.Transform(VectorLabelRows.View(ml, seed: 6));

        Assert.Equal(new VectorDataViewType(BooleanDataViewType.Instance, 3), scored.Schema["PredictedLabels"].Type);
        Assert.Equal(BooleanDataViewType.Instance, scored.Schema["PredictedLabel"].Type); // whether any label is predicted
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), scored.Schema["Probability"].Type);
        var metrics = ml.BinaryClassification.EvaluateMultiLabel(scored);
        Assert.Equal(VectorLabelRows.Tags, metrics.LabelNames);
        Assert.True(metrics.MacroAreaUnderRocCurve > 0.97, $"macro AUC {metrics.MacroAreaUnderRocCurve}");
        Assert.True(metrics.HammingLoss < 0.08, $"Hamming loss {metrics.HammingLoss}");
        Assert.True(metrics.SubsetAccuracy > 0.8, $"subset accuracy {metrics.SubsetAccuracy}");

        var engine = ml.Model.CreatePredictionEngine<VectorLabelRows.Row, VectorLabelRows.MultiLabelPrediction>(model);
        var row = VectorLabelRows.Generate(1, 9)[0];
        var prediction = engine.Predict(row);
        for (var j = 0; j < 3; j++)
        {
            Assert.Equal(1 / (1 + Math.Exp(-prediction.Score[j])), prediction.Probability[j], 1e-6);
            Assert.Equal(prediction.Score[j] > 0, prediction.PredictedLabels[j]);
        }
        Assert.Equal(prediction.PredictedLabels.Any(p => p), prediction.PredictedLabel);
    }

    [Fact]
    public void A_prediction_engine_returns_each_target_as_a_float_array()
    {
        var ml = new MLContext(seed: 1);
        var model = FitRegression(ml, VectorLabelRows.View(ml), RegressionOptions());
        var engine = ml.Model.CreatePredictionEngine<VectorLabelRows.Row, VectorLabelRows.RegressionPrediction>(model);
        var row = VectorLabelRows.Generate(1, 9)[0];

        var score = engine.Predict(row).Score;

        Assert.Equal(3, score.Length);
        Assert.Equal(row.Large, score[2], 30f);
    }

    [Fact]
    public void A_vector_label_of_one_value_trains_the_same_network_as_the_scalar_label()
    {
        var ml = new MLContext(seed: 1);
        var data = VectorLabelRows.View(ml);
        MlpRegressionTrainer.Options RegressionOptions(string label) => new() { LabelColumnName = label, HiddenLayerSizes = [8], NumberOfEpochs = 5, ValidationFraction = 0, Seed = 3 };
        var scalar = ml.Regression.Trainers.Mlp(RegressionOptions("Wave")).Fit(data).Model;
        var vector = ml.Transforms.Concatenate("Label", "Wave").Append(ml.Regression.Trainers.Mlp(RegressionOptions("Label"))).Fit(data).LastTransformer.Model;
        Assert.Equal(scalar.GetLayerParameters(1).Weights, vector.GetLayerParameters(1).Weights);

        MlpBinaryTrainer.Options BinaryOptions(string label) => new() { LabelColumnName = label, HiddenLayerSizes = [8], NumberOfEpochs = 5, ValidationFraction = 0, Seed = 3 };
        var scalarBinary = ml.BinaryClassification.Trainers.Mlp(BinaryOptions("Sum")).Fit(data).Model;
        var vectorBinary = ml.Transforms.Concatenate("Label", "Sum").Append(ml.BinaryClassification.Trainers.Mlp(BinaryOptions("Label"))).Fit(data).LastTransformer.Model;
        Assert.Equal(scalarBinary.GetLayerParameters(1).Weights, vectorBinary.GetLayerParameters(1).Weights);
    }

    [Fact]
    public void A_missing_target_is_masked_out_and_keeps_its_row()
    {
        var (ml, log) = TrainingLog.Context();
        var rows = VectorLabelRows.Generate(400, 5);
        for (var r = 0; r < rows.Length; r += 3)
            rows[r].Wave = float.NaN;
        var model = FitRegression(ml, ml.Data.LoadFromEnumerable(rows), RegressionOptions());

        Assert.DoesNotContain(log, m => m.Contains("Skipped"));
        var metrics = ml.Regression.EvaluateMultiOutput(model.Transform(VectorLabelRows.View(ml, seed: 6)));
        Assert.True(metrics.PerTargetRSquared[1] > 0.9, $"R² of the masked target {metrics.PerTargetRSquared[1]}");
    }

    [Fact]
    public void Saved_vector_label_models_load_and_score_identically()
    {
        var ml = new MLContext(seed: 1);
        var data = VectorLabelRows.View(ml, count: 200);
        foreach (var (model, columns) in new (ITransformer, string[])[]
        {
            (FitRegression(ml, data, RegressionOptions(o => { o.NumberOfEpochs = 5; })), new[] { "Score" }),
            (FitMultiLabel(ml, data, MultiLabelOptions(o => { o.NumberOfEpochs = 5; })), new[] { "Score", "Probability", "PredictedLabels", "PredictedLabel" }),
        })
        {
            using var stream = new MemoryStream();
            ml.Model.Save(model, data.Schema, stream);
            stream.Position = 0;
            var loaded = ml.Model.Load(stream, out _);
            foreach (var column in columns)
                Assert.Equal(Scored(ml, model, data, column), Scored(ml, loaded, data, column));
        }
    }

    private static string[] Scored(MLContext ml, ITransformer model, IDataView data, string column)
    {
        var scored = model.Transform(data);
        using var text = new MemoryStream();
        ml.Data.SaveAsText(ml.Transforms.SelectColumns(column).Fit(scored).Transform(scored), text, schema: false);
        return System.Text.Encoding.UTF8.GetString(text.ToArray()).Split('\n');
    }

    [Fact]
    public void Validation_early_stopping_and_balanced_label_weights_work_with_a_vector_label()
    {
        var (ml, log) = TrainingLog.Context();
        var options = MultiLabelOptions(o => { o.ValidationFraction = 0.25f; o.ClassWeighting = MlpClassWeighting.Balanced; o.EarlyStoppingMetric = MlpEarlyStoppingMetric.Accuracy; });
        var model = FitMultiLabel(ml, VectorLabelRows.View(ml), options);

        var history = model.LastTransformer.Model.TrainingHistory;
        Assert.All(history, e => Assert.NotNull(e.ValidationAccuracy));
        Assert.Contains(log, m => m.Contains("Balanced class weights per label (false, true)"));
        Assert.Contains(log, m => m.Contains("Held out 100 of 400 rows"));
    }

    [Fact]
    public void A_warm_start_continues_from_a_multi_output_model_and_keeps_its_target_scalings()
    {
        var ml = new MLContext(seed: 1);
        var data = VectorLabelRows.RegressionLabel(ml).Fit(VectorLabelRows.View(ml)).Transform(VectorLabelRows.View(ml));
        var trainer = ml.Regression.Trainers.Mlp(RegressionOptions(o => o.NumberOfEpochs = 20));
        var first = trainer.Fit(data);
        var continued = trainer.Fit(data, first.Model);

        Assert.Equal(first.Model.VectorLabel!.Scalings, continued.Model.VectorLabel!.Scalings);
        var before = ml.Regression.EvaluateMultiOutput(first.Transform(data)).AverageRSquared;
        var after = ml.Regression.EvaluateMultiOutput(continued.Transform(data)).AverageRSquared;
        Assert.True(after > before, $"average R² {before} before and {after} after 20 more epochs");
    }

    [Fact]
    public void A_validation_set_given_to_Fit_is_standardized_like_the_training_rows()
    {
        var ml = new MLContext(seed: 1);
        var label = VectorLabelRows.RegressionLabel(ml).Fit(VectorLabelRows.View(ml));
        var (train, validation) = (label.Transform(VectorLabelRows.View(ml)), label.Transform(VectorLabelRows.View(ml, count: 100, seed: 7)));
        var model = ml.Regression.Trainers.Mlp(RegressionOptions(o => o.NumberOfEpochs = 30)).Fit(train, validation);

        var history = model.Model.TrainingHistory;
        Assert.All(history, e => Assert.NotNull(e.ValidationLoss));
        Assert.True(history[^1].ValidationLoss < 0.2, $"validation loss {history[^1].ValidationLoss} in standard deviations squared");
    }

    [Fact]
    public void A_vector_label_refuses_streaming_and_multi_label_class_weights_of_another_count_by_name()
    {
        var ml = new MLContext(seed: 1);
        var data = VectorLabelRows.View(ml, count: 120);
        var streamed = Assert.Throws<InvalidOperationException>(() => FitRegression(ml, data, RegressionOptions(o => o.DataLoading = MlpDataLoading.Streaming)));
        Assert.Contains("Label column 'Label' is a vector", streamed.Message);
        Assert.Contains("must be held in memory, but DataLoading is Streaming", streamed.Message);

        var weights = Assert.Throws<ArgumentException>(() => FitMultiLabel(ml, data, MultiLabelOptions(o => o.ClassWeights = [1f, 2f, 3f])));
        Assert.Contains("Option ClassWeights has 3 weights; a multi-label label's values are false and true, so it must have 2.", weights.Message);
    }

    [Fact]
    public void L_BFGS_and_gradient_shards_train_vector_labels_too()
    {
        var ml = new MLContext(seed: 1);
        var (data, test) = (VectorLabelRows.View(ml), VectorLabelRows.View(ml, seed: 6));
        var lbfgs = FitRegression(ml, data, RegressionOptions(o => { o.Optimizer = MlpOptimizer.Lbfgs; o.NumberOfEpochs = 100; }));
        Assert.True(ml.Regression.EvaluateMultiOutput(lbfgs.Transform(test)).AverageRSquared > 0.9);

        var sharded = FitMultiLabel(ml, data, MultiLabelOptions(o => o.GradientShards = 2));
        Assert.True(ml.BinaryClassification.EvaluateMultiLabel(sharded.Transform(test)).MacroAreaUnderRocCurve > 0.97);
    }

    [Fact]
    public void Cross_validation_by_folds_evaluates_each_fold_with_the_multi_output_evaluator()
    {
        var ml = new MLContext(seed: 1);
        // ML.NET's CrossValidate scores each fold with its single-target evaluator, which refuses the vector score.
        var stock = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.CrossValidate(VectorLabelRows.View(ml),
            VectorLabelRows.RegressionLabel(ml).Append(ml.Regression.Trainers.Mlp(RegressionOptions(o => o.NumberOfEpochs = 2))), numberOfFolds: 2));
        Assert.Contains("expected Single, got Vector<Single, 3>", stock.Message);

        var folds = ml.Data.CrossValidationSplit(VectorLabelRows.View(ml), numberOfFolds: 3);
        var r2 = folds.Select(fold => ml.Regression.EvaluateMultiOutput(
            FitRegression(ml, fold.TrainSet, RegressionOptions(o => { o.NumberOfEpochs = 100; })).Transform(fold.TestSet)).AverageRSquared).ToArray();
        Assert.Equal(3, r2.Length);
        Assert.All(r2, value => Assert.True(value > 0.8, $"average R² {value}"));
    }

    [Fact]
    public void A_constant_label_in_a_multi_label_vector_is_refused_by_name()
    {
        var ml = new MLContext(seed: 1);
        var rows = VectorLabelRows.Generate(100, 5);
        foreach (var row in rows)
            row.Sum = true;
        var error = Assert.Throws<InvalidOperationException>(() => FitMultiLabel(ml, ml.Data.LoadFromEnumerable(rows), MultiLabelOptions()));
        Assert.Contains("Label column 'Label' 'Sum' (value 1) is true in all", error.Message);
    }

    private sealed class VariableLabelRow
    {
        [VectorType(4)] public float[] Features { get; set; } = [1, 2, 3, 4];
        [VectorType] public float[] Label { get; set; } = [1, 2];
    }

    private sealed class DoubleLabelRow
    {
        [VectorType(4)] public float[] Features { get; set; } = [1, 2, 3, 4];
        [VectorType(2)] public double[] Label { get; set; } = [1, 2];
    }

    [Fact]
    public void A_vector_label_of_unknown_size_or_another_element_type_is_refused_by_name()
    {
        var ml = new MLContext(seed: 1);
        var variable = ml.Data.LoadFromEnumerable(new[] { new VariableLabelRow() });
        var unknown = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.Mlp().Fit(variable));
        Assert.Contains("Label column 'Label' is a vector of unknown size", unknown.Message);

        var doubles = ml.Data.LoadFromEnumerable(new[] { new DoubleLabelRow() });
        var wrongType = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.Mlp().Fit(doubles));
        Assert.Contains("Label column 'Label' is a vector of 2 Double; multi-output regression needs a vector of Single", wrongType.Message);

        var floats = VectorLabelRows.RegressionLabel(ml).Fit(VectorLabelRows.View(ml)).Transform(VectorLabelRows.View(ml));
        var floatTags = Assert.Throws<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.Mlp().Fit(floats));
        Assert.Contains("multi-label classification needs a vector of Boolean", floatTags.Message);
    }

    [Fact]
    public void The_evaluators_refuse_a_scalar_score_column_by_name()
    {
        var ml = new MLContext(seed: 1);
        var data = VectorLabelRows.View(ml, count: 120);
        var scored = VectorLabelRows.RegressionLabel(ml).Fit(data).Transform(data);
        var scalar = ml.Transforms.CopyColumns("Score", "Linear").Fit(scored).Transform(scored);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.EvaluateMultiOutput(scalar));
        Assert.Contains("The score column 'Score' is Single; multi-output regression evaluation needs a vector of Single of size 3", error.Message);
        var labels = Assert.Throws<ArgumentOutOfRangeException>(() => ml.BinaryClassification.EvaluateMultiLabel(scored));
        Assert.Contains("The label column 'Label' is Vector<Single, 3>", labels.Message);
    }
}
