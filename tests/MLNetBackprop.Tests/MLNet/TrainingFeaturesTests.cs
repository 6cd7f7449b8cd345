using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>The issue-3 training features as ML.NET users reach them: through the trainers' options and Fit overloads.</summary>
public class TrainingFeaturesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-bridge-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class Collect<T> : IProgress<T>
    {
        public List<T> Items { get; } = [];
        public Action<T>? Then { get; init; }
        public void Report(T value)
        {
            Items.Add(value);
            Then?.Invoke(value);
        }
    }

    private static IDataView Rows(MLContext ml, int count, int seed) => ml.Data.LoadFromEnumerable(SyntheticRows.TwoFeaturesOneInformative(count, seed));

    private static MlpBinaryTrainer.Options Binary(int epochs = 15) => new()
    {
        HiddenLayerSizes = [16], NumberOfEpochs = epochs, LearningRate = 0.01f, BatchSize = 16, Tolerance = 0, Seed = 3,
    };

    [Fact]
    public void Fit_with_validation_data_records_validation_metrics_and_keeps_the_best_epoch()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.BinaryClassification.Trainers.Mlp(Binary()).Fit(Rows(ml, 200, 1), Rows(ml, 100, 2)).Model;

        Assert.Equal(15, model.TrainingHistory.Count);
        Assert.All(model.TrainingHistory, h => Assert.NotNull(h.ValidationLoss));
        Assert.All(model.TrainingHistory, h => Assert.InRange(h.ValidationAccuracy!.Value, 0, 1));
        var losses = model.TrainingHistory.Select(h => h.ValidationLoss!.Value).ToList();
        Assert.Equal(losses.IndexOf(losses.Min()) + 1, model.BestEpoch);
    }

    [Fact]
    public void Validation_data_with_another_key_type_is_rejected()
    {
        var ml = new MLContext(seed: 1);
        var iris = ShippedData.Iris(ml);
        var prepare = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.Transforms.Concatenate("Features", "Measurements"));
        var train = prepare.Fit(iris).Transform(iris);
        var twoClasses = ml.Data.FilterByCustomPredicate<IrisLabel>(iris, r => r.Label == "setosa");
        var validation = prepare.Fit(twoClasses).Transform(twoClasses);
        var error = Assert.ThrowsAny<ArgumentException>(() =>
            ml.MulticlassClassification.Trainers.Mlp(new MlpMulticlassTrainer.Options { NumberOfEpochs = 1 }).Fit(train, validation));
        Assert.Contains("same pipeline", error.Message);
    }

    private sealed class IrisLabel
    { public string Label { get; set; } = ""; }

    [Fact]
    public void Validation_fraction_holds_out_rows_inside_a_pipeline_and_the_history_survives_save_and_load()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        var data = ShippedData.Iris(ml);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", "Measurements"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(new MlpMulticlassTrainer.Options
            {
                HiddenLayerSizes = [10], NumberOfEpochs = 30, LearningRate = 0.02f, BatchSize = 16, ValidationFraction = 0.2f,
                EarlyStoppingMetric = MlpEarlyStoppingMetric.Accuracy, Tolerance = 0,
            }));
        var model = pipeline.Fit(data);
        var parameters = model.LastTransformer.Model;
        Assert.Equal(30, parameters.TrainingHistory.Count);
        Assert.All(parameters.TrainingHistory, h => Assert.NotNull(h.ValidationAccuracy));
        Assert.Contains(messages, m => m.Contains("Held out 30 of 150 rows for validation."));
        Assert.Contains(messages, m => m.Contains("Epoch 30: training loss"));

        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = (TransformerChain<ITransformer>)ml.Model.Load(stream, out _);
        var loadedParameters = ((MulticlassPredictionTransformer<MlpMulticlassModelParameters>)loaded.LastTransformer).Model;
        Assert.Equal(parameters.TrainingHistory, loadedParameters.TrainingHistory);
        Assert.Equal(parameters.BestEpoch, loadedParameters.BestEpoch);
    }

    [Fact]
    public void Progress_receives_one_report_per_epoch_matching_the_model_history()
    {
        var ml = new MLContext(seed: 1);
        var progress = new Collect<MlpEpochReport>();
        var options = Binary(epochs: 8);
        options.Progress = progress;
        options.LearningRateSchedule = MlpLearningRateSchedule.Cosine;
        options.ValidationFraction = 0;
        var model = ml.BinaryClassification.Trainers.Mlp(options).Fit(Rows(ml, 100, 1)).Model;
        Assert.Equal(model.TrainingHistory, progress.Items);
        Assert.Equal(Enumerable.Range(1, 8), progress.Items.Select(p => p.Epoch));
        Assert.Equal(0.01f, progress.Items[0].LearningRate);
        Assert.True(progress.Items[^1].LearningRate < 0.001f);
        Assert.All(progress.Items, p => Assert.Null(p.ValidationLoss));
    }

    [Fact]
    public void Cancelling_through_the_options_returns_a_model_trained_for_the_epochs_so_far()
    {
        var ml = new MLContext(seed: 1);
        using var cancel = new CancellationTokenSource();
        var options = Binary(epochs: 50);
        options.CancellationToken = cancel.Token;
        options.Progress = new Collect<MlpEpochReport> { Then = r => { if (r.Epoch == 4) cancel.Cancel(); } };
        var transformer = ml.BinaryClassification.Trainers.Mlp(options).Fit(Rows(ml, 100, 1));
        Assert.Equal(4, transformer.Model.TrainingHistory.Count);
        Assert.Equal(100, transformer.Transform(Rows(ml, 100, 1)).GetColumn<float>("Score").Count());
    }

    [Fact]
    public void Warm_start_continues_from_the_given_model()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 200, 1);
        var firstOptions = Binary(epochs: 20);
        firstOptions.TrainOnHeldOutRows = false; // so that the first model is one epoch's, whose training loss the test knows
        var first = ml.BinaryClassification.Trainers.Mlp(firstOptions).Fit(data).Model;
        var continued = ml.BinaryClassification.Trainers.Mlp(Binary(epochs: 1)).Fit(data, first).Model;
        var fresh = ml.BinaryClassification.Trainers.Mlp(Binary(epochs: 1)).Fit(data).Model;
        Assert.True(continued.TrainingHistory[0].TrainingLoss < fresh.TrainingHistory[0].TrainingLoss);
        // The first model is its best epoch's on the held-out rows.
        Assert.True(continued.TrainingHistory[0].TrainingLoss < 1.2 * first.TrainingHistory[first.BestEpoch - 1].TrainingLoss);
    }

    [Fact]
    public void Warm_start_with_automatic_hidden_layers_continues_the_initial_models_layers()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 100, 1);
        var first = ml.BinaryClassification.Trainers.Mlp(Binary(epochs: 5)).Fit(data).Model;
        var automatic = Binary(epochs: 1);
        automatic.HiddenLayerSizes = null;
        var continued = ml.BinaryClassification.Trainers.Mlp(automatic).Fit(data, first).Model;
        Assert.Equal(first.LayerSizes, continued.LayerSizes);
        Assert.Equal(16, continued.LayerSizes[1]);
    }

    [Fact]
    public void Warm_start_from_a_model_of_another_architecture_names_both_shapes()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 100, 1);
        var small = ml.BinaryClassification.Trainers.Mlp(Binary(epochs: 1)).Fit(data).Model;
        var wider = Binary(epochs: 1);
        wider.HiddenLayerSizes = [32];
        var error = Assert.ThrowsAny<ArgumentException>(() => ml.BinaryClassification.Trainers.Mlp(wider).Fit(data, small));
        Assert.Contains("2-16-1 Relu", error.Message);
        Assert.Contains("2-32-1 Relu", error.Message);
        Assert.Contains("Warm start needs the same architecture", error.Message);
    }

    [Fact]
    public void Regression_warm_start_keeps_the_label_scaling_of_the_initial_model()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 200, 1);
        var options = new MlpRegressionTrainer.Options { LabelColumnName = "Target", HiddenLayerSizes = [8], NumberOfEpochs = 30, Seed = 1 };
        var first = ml.Regression.Trainers.Mlp(options).Fit(data).Model;
        var shifted = ml.Data.LoadFromEnumerable(SyntheticRows.TwoFeaturesOneInformative(200, 1).Select(r => { r.Target += 100; return r; }));
        options.NumberOfEpochs = 1;
        var continued = ml.Regression.Trainers.Mlp(options).Fit(shifted, first).Model;
        Assert.Equal(first.LabelScaling, continued.LabelScaling);
    }

    [Fact]
    public void Balanced_class_weights_predict_the_rare_class_more_often()
    {
        // 10% positives that overlap the negatives: unweighted training rarely predicts "true".
        var random = new Random(4);
        var rows = Enumerable.Range(0, 600).Select(i =>
        {
            var positive = i % 10 == 0;
            var x = (float)(random.NextDouble() * 2 - 1) + (positive ? 0.6f : 0f);
            return new SyntheticRows.Row { Features = [x, (float)random.NextDouble()], Label = positive };
        }).ToArray();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        int Positives(MlpClassWeighting weighting)
        {
            var options = Binary(epochs: 20);
            options.ClassWeighting = weighting;
            // The count at stake depends on how the model bends where the classes overlap; without the encoding's bins
            // it is the weighting alone that moves it.
            options.NumericEncoding = MlpNumericEncoding.None;
            return ml.BinaryClassification.Trainers.Mlp(options).Fit(data).Transform(data).GetColumn<bool>("PredictedLabel").Count(p => p);
        }
        var plain = Positives(MlpClassWeighting.None);
        var balanced = Positives(MlpClassWeighting.Balanced);
        Assert.True(balanced > 4 * plain && balanced >= 60, $"predicted positives: unweighted {plain}, balanced {balanced}");
    }

    [Fact]
    public void Class_weights_of_the_wrong_length_for_the_label_are_rejected_at_fit()
    {
        var ml = new MLContext(seed: 1);
        var data = ShippedData.Iris(ml);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", "Measurements"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(new MlpMulticlassTrainer.Options { NumberOfEpochs = 1, ClassWeights = [1, 2] }));
        var error = Assert.ThrowsAny<ArgumentException>(() => pipeline.Fit(data));
        Assert.Contains("ClassWeights has 2 weights; the label has 3 classes", error.Message);
    }

    [Fact]
    public void A_checkpointed_fit_cancelled_and_fitted_again_gives_the_uninterrupted_model_bit_for_bit()
    {
        var path = Path.Combine(_folder, "fit.ckpt");
        MlpBinaryTrainer.Options Options() => new()
        {
            HiddenLayerSizes = [16], NumberOfEpochs = 10, BatchSize = 16, Seed = 3, Tolerance = 0, Optimizer = MlpOptimizer.AdamW,
            DropoutRates = [0.1f], ValidationFraction = 0.2f, CheckpointPath = path, CheckpointEveryEpochs = 2,
        };
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 200, 1);
        var uninterrupted = ml.BinaryClassification.Trainers.Mlp(Options()).Fit(data).Model;
        Assert.False(File.Exists(path));
        Assert.True(uninterrupted.LayerSizes[0] > uninterrupted.FeatureCount, "the defaults encode these features: the resumed run must refit the same encoding");

        using var cancel = new CancellationTokenSource();
        var interrupted = Options();
        interrupted.CancellationToken = cancel.Token;
        interrupted.Progress = new Collect<MlpEpochReport> { Then = r => { if (r.Epoch == 5) cancel.Cancel(); } };
        ml.BinaryClassification.Trainers.Mlp(interrupted).Fit(data);
        Assert.True(File.Exists(path));

        var resumed = ml.BinaryClassification.Trainers.Mlp(Options()).Fit(data).Model;
        for (var layer = 0; layer < 2; layer++)
        {
            Assert.Equal(uninterrupted.GetLayerParameters(layer).Weights, resumed.GetLayerParameters(layer).Weights);
            Assert.Equal(uninterrupted.GetLayerParameters(layer).Biases, resumed.GetLayerParameters(layer).Biases);
        }
        Assert.Equal(uninterrupted.TrainingHistory.Select(h => h.ValidationLoss), resumed.TrainingHistory.Select(h => h.ValidationLoss));
    }

    [Theory]
    [InlineData(MlpOptimizer.RmsProp)]
    [InlineData(MlpOptimizer.AdamW)]
    [InlineData(MlpOptimizer.Lbfgs)]
    public void Every_optimizer_learns_the_informative_feature(MlpOptimizer optimizer)
    {
        var ml = new MLContext(seed: 1);
        var options = Binary(epochs: 30);
        options.Optimizer = optimizer;
        var data = Rows(ml, 300, 1);
        var metrics = ml.BinaryClassification.Evaluate(ml.BinaryClassification.Trainers.Mlp(options).Fit(data).Transform(Rows(ml, 300, 2)));
        Assert.True(metrics.Accuracy > 0.9, $"{optimizer}: accuracy {metrics.Accuracy}");
    }
}
