using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>The trainers' output works with ML.NET's own tools exactly like a built-in trainer's.</summary>
public class MlnetIntegrationTests
{
    private static EstimatorChain<KeyToValueMappingTransformer> IrisPipeline(MLContext ml, int epochs = 60) =>
        ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", "Measurements"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(hiddenLayerSizes: [20], numberOfEpochs: epochs, learningRate: 0.01f, batchSize: 16))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    [Fact]
    public void Multiclass_output_has_probability_scores_with_class_names_and_a_key_predicted_label()
    {
        var ml = new MLContext(seed: 1);
        var data = ShippedData.Iris(ml);
        var scored = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", "Measurements"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(numberOfEpochs: 5))
            .Fit(data).Transform(data);

        var score = scored.Schema["Score"];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), score.Type);
        var slotNames = default(VBuffer<ReadOnlyMemory<char>>);
        score.GetSlotNames(ref slotNames);
        Assert.Equal(["setosa", "versicolor", "virginica"], slotNames.DenseValues().Select(n => n.ToString()));
        Assert.IsType<KeyDataViewType>(scored.Schema["PredictedLabel"].Type);
        foreach (var probabilities in scored.GetColumn<float[]>("Score"))
        {
            Assert.All(probabilities, p => Assert.InRange(p, 0f, 1f));
            Assert.Equal(1.0, probabilities.Sum(), 4);
        }
    }

    [Fact]
    public void Binary_output_has_logit_score_sigmoid_probability_and_boolean_label()
    {
        var ml = new MLContext(seed: 1);
        var data = ShippedData.BreastCancer(ml);
        var scored = ShippedData.MalignantAsLabel(ml)
            .Append(ml.Transforms.Concatenate("Features", "Measurements"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.BinaryClassification.Trainers.Mlp(numberOfEpochs: 10))
            .Fit(data).Transform(data);

        Assert.Equal(BooleanDataViewType.Instance, scored.Schema["PredictedLabel"].Type);
        var scores = scored.GetColumn<float>("Score").ToArray();
        var probabilities = scored.GetColumn<float>("Probability").ToArray();
        var predicted = scored.GetColumn<bool>("PredictedLabel").ToArray();
        for (var i = 0; i < scores.Length; i++)
        {
            Assert.Equal(1 / (1 + Math.Exp(-scores[i])), probabilities[i], 1e-6);
            Assert.Equal(scores[i] > 0, predicted[i]);
        }
        Assert.Contains(scores, s => s < 0);
        Assert.Contains(scores, s => s > 0);
    }

    [Fact]
    public void Cross_validation_runs_every_fold_and_learns_iris()
    {
        var ml = new MLContext(seed: 1);
        var results = ml.MulticlassClassification.CrossValidate(ShippedData.Iris(ml), IrisPipeline(ml), numberOfFolds: 3);

        Assert.Equal(3, results.Count);
        Assert.All(results, fold => Assert.True(fold.Metrics.MicroAccuracy > 0.8, $"fold accuracy {fold.Metrics.MicroAccuracy}"));
    }

    [Fact]
    public void Permutation_feature_importance_ranks_an_informative_feature_above_a_noise_feature()
    {
        var ml = new MLContext(seed: 1);
        var rows = SyntheticRows.TwoFeaturesOneInformative(600, seed: 7);
        var data = ml.Data.LoadFromEnumerable(rows);
        var trainer = ml.BinaryClassification.Trainers.Mlp(hiddenLayerSizes: [8], numberOfEpochs: 40, learningRate: 0.01f, batchSize: 32);
        var model = trainer.Fit(data);

        var importance = ml.BinaryClassification.PermutationFeatureImportance(model, data, permutationCount: 2);

        Assert.Equal(2, importance.Length);
        Assert.True(importance[0].AreaUnderRocCurve.Mean < importance[1].AreaUnderRocCurve.Mean - 0.1,
            $"AUC change: informative {importance[0].AreaUnderRocCurve.Mean:F3}, noise {importance[1].AreaUnderRocCurve.Mean:F3}");
    }

    [Fact]
    public void Prediction_engine_scores_single_rows_like_transform()
    {
        var ml = new MLContext(seed: 1);
        var rows = SyntheticRows.TwoFeaturesOneInformative(300, seed: 3);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.BinaryClassification.Trainers.Mlp(hiddenLayerSizes: [8], numberOfEpochs: 20, learningRate: 0.01f).Fit(data);
        var engine = ml.Model.CreatePredictionEngine<SyntheticRows.Row, SyntheticRows.BinaryPrediction>(model);

        var batchScores = model.Transform(data).GetColumn<float>("Score").ToArray();
        for (var i = 0; i < 20; i++)
        {
            var prediction = engine.Predict(rows[i]);
            Assert.Equal(batchScores[i], prediction.Score);
            Assert.Equal(prediction.Score > 0, prediction.PredictedLabel);
        }
    }

    [Fact]
    public void Pipeline_saved_and_loaded_in_process_gives_the_same_scores()
    {
        var ml = new MLContext(seed: 1);
        var data = ShippedData.Iris(ml);
        var model = IrisPipeline(ml, epochs: 10).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = ml.Model.Load(stream, out _);

        var before = model.Transform(data).GetColumn<float[]>("Score").ToArray();
        var after = loaded.Transform(data).GetColumn<float[]>("Score").ToArray();
        Assert.Equal(before, after);
    }

    [Fact]
    public void Trained_model_exposes_its_layer_sizes_and_parameters()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticRows.TwoFeaturesOneInformative(100, seed: 1));
        var model = ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options
        {
            LabelColumnName = "Target", HiddenLayerSizes = [5, 3], NumberOfEpochs = 2, NumericEncoding = MlpNumericEncoding.None,
        }).Fit(data).Model;

        Assert.Equal([2, 5, 3, 1], model.LayerSizes);
        Assert.Equal(2, model.FeatureCount);
        var (firstWeights, _) = model.GetLayerParameters(0);
        Assert.Equal(2 * 5, firstWeights.Length);
        var (weights, biases) = model.GetLayerParameters(1);
        Assert.Equal(15, weights.Length);
        Assert.Equal(3, biases.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.GetLayerParameters(3));
    }

    [Fact]
    public void An_encoding_model_counts_its_features_and_its_encoded_inputs_apart()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticRows.TwoFeaturesOneInformative(100, seed: 1));
        var model = ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options
        {
            LabelColumnName = "Target", HiddenLayerSizes = [5], NumberOfEpochs = 2, NumericEncodingBins = 4,
        }).Fit(data).Model;

        Assert.Equal(2, model.FeatureCount);
        Assert.Equal([2 + 2 * 4, 5, 1], model.LayerSizes);
        Assert.Equal((2 + 2 * 4) * 5, model.GetLayerParameters(0).Weights.Length);
    }

    private sealed class CategoricalRow
    {
        public string Color { get; set; } = "";
        public float Size { get; set; }
        public bool Label { get; set; }
    }

    [Fact]
    public void Sparse_one_hot_features_are_densified_for_training_and_scoring()
    {
        var ml = new MLContext(seed: 1);
        var colors = new[] { "red", "green", "blue", "black" };
        var random = new Random(4);
        var rows = Enumerable.Range(0, 400).Select(i =>
        {
            var color = colors[i % colors.Length];
            var size = (float)random.NextDouble();
            return new CategoricalRow { Color = color, Size = size, Label = color is "red" or "blue" };
        }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Categorical.OneHotEncoding("ColorVector", "Color")
            .Append(ml.Transforms.Concatenate("Features", "ColorVector", "Size"))
            .Append(ml.BinaryClassification.Trainers.Mlp(hiddenLayerSizes: [8], learningRate: 0.01f, batchSize: 32));

        var metrics = ml.BinaryClassification.Evaluate(pipeline.Fit(data).Transform(data));

        Assert.True(metrics.Accuracy > 0.99, $"accuracy {metrics.Accuracy}");
    }

    [Fact]
    public void One_model_scores_identically_from_several_threads_at_once()
    {
        var ml = new MLContext(seed: 1);
        var rows = SyntheticRows.TwoFeaturesOneInformative(2000, seed: 9);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.BinaryClassification.Trainers.Mlp(hiddenLayerSizes: [16], numberOfEpochs: 5).Fit(data);
        var expected = model.Transform(data).GetColumn<float>("Score").ToArray();

        var results = new float[4][];
        Parallel.For(0, 8, worker =>
        {
            if (worker < 4)
                results[worker] = model.Transform(data).GetColumn<float>("Score").ToArray();
            else
            {
                var engine = ml.Model.CreatePredictionEngine<SyntheticRows.Row, SyntheticRows.BinaryPrediction>(model);
                foreach (var (row, i) in rows.Select((r, i) => (r, i)))
                    Assert.Equal(expected[i], engine.Predict(row).Score);
            }
        });

        Assert.All(results, scores => Assert.Equal(expected, scores));
    }
}
