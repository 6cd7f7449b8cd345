using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>Bad data and schemas fail early with a message that names the column and the fix.</summary>
public class BadInputTests
{
    private readonly MLContext _ml = new(seed: 1);

    private IDataView Rows(int count = 50) => _ml.Data.LoadFromEnumerable(SyntheticRows.TwoFeaturesOneInformative(count, seed: 2));

    private sealed class DoubleFeatures
    {
        [VectorType(2)] public double[] Features { get; set; } = [0, 1];
        public bool Label { get; set; }
    }

    private sealed class VariableFeatures
    {
        public float[] Features { get; set; } = [0, 1];
        public bool Label { get; set; }
    }

    private sealed class FloatLabel
    {
        [VectorType(2)] public float[] Features { get; set; } = [0, 1];
        public float Label { get; set; }
    }

    private static void AssertMessage(Exception ex, params string[] fragments)
    {
        foreach (var fragment in fragments)
            Assert.Contains(fragment, ex.Message);
    }

    [Fact]
    public void Missing_feature_column_is_named_when_the_pipeline_is_built_and_when_fitting()
    {
        var trainer = _ml.BinaryClassification.Trainers.Mlp(featureColumnName: "Pixels");
        var data = Rows();
        AssertMessage(Assert.ThrowsAny<ArgumentException>(() => trainer.Fit(data)), "'Pixels'", "not found", "Concatenate");
        // An estimator chain checks every estimator's output schema before fitting anything.
        var chain = _ml.Transforms.CopyColumns("Copy", "Features").Append(trainer);
        AssertMessage(Assert.ThrowsAny<ArgumentException>(() => chain.Fit(data)), "'Pixels'", "not found");
    }

    [Fact]
    public void Feature_vector_of_double_is_rejected_with_the_expected_type()
    {
        var data = _ml.Data.LoadFromEnumerable(new[] { new DoubleFeatures(), new DoubleFeatures { Label = true } });
        var ex = Assert.ThrowsAny<ArgumentException>(() => _ml.BinaryClassification.Trainers.Mlp().Fit(data));
        AssertMessage(ex, "'Features'", "vector of Single", "Double");
    }

    [Fact]
    public void Feature_vector_of_unknown_size_is_rejected()
    {
        var data = _ml.Data.LoadFromEnumerable(new[] { new VariableFeatures(), new VariableFeatures { Label = true } });
        var ex = Assert.ThrowsAny<ArgumentException>(() => _ml.BinaryClassification.Trainers.Mlp().Fit(data));
        AssertMessage(ex, "'Features'", "unknown size");
    }

    [Fact]
    public void Binary_label_that_is_not_boolean_is_rejected_with_the_expected_type()
    {
        var data = _ml.Data.LoadFromEnumerable(new[] { new FloatLabel(), new FloatLabel { Label = 1 } });
        var ex = Assert.ThrowsAny<ArgumentException>(() => _ml.BinaryClassification.Trainers.Mlp().Fit(data));
        AssertMessage(ex, "Label column 'Label'", "Boolean", "Single");
    }

    [Fact]
    public void Multiclass_label_that_is_not_a_key_suggests_MapValueToKey()
    {
        var data = _ml.Data.LoadFromEnumerable(new[] { new FloatLabel(), new FloatLabel { Label = 1 } });
        var ex = Assert.ThrowsAny<ArgumentException>(() => _ml.MulticlassClassification.Trainers.Mlp().Fit(data));
        AssertMessage(ex, "Label column 'Label'", "key type", "MapValueToKey(\"Label\")");
    }

    [Fact]
    public void Regression_label_that_is_not_single_is_rejected()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => _ml.Regression.Trainers.Mlp().Fit(Rows()));
        AssertMessage(ex, "Label column 'Label'", "Single", "Boolean");
    }

    [Fact]
    public void Missing_label_and_weight_columns_are_named()
    {
        AssertMessage(Assert.ThrowsAny<ArgumentException>(() => _ml.Regression.Trainers.Mlp(labelColumnName: "Price").Fit(Rows())),
            "'Price'", "not found");
        AssertMessage(Assert.ThrowsAny<ArgumentException>(() => _ml.BinaryClassification.Trainers.Mlp(exampleWeightColumnName: "W").Fit(Rows())),
            "weight column 'W'", "not found");
        AssertMessage(Assert.ThrowsAny<ArgumentException>(() => _ml.BinaryClassification.Trainers.Mlp(exampleWeightColumnName: "Label").Fit(Rows())),
            "weight column 'Label'", "Single");
    }

    [Fact]
    public void Negative_example_weight_is_rejected_naming_the_column()
    {
        var rows = SyntheticRows.TwoFeaturesOneInformative(20, seed: 1);
        rows[7].Weight = -1;
        var ex = Assert.Throws<InvalidOperationException>(() =>
            _ml.BinaryClassification.Trainers.Mlp(exampleWeightColumnName: "Weight").Fit(_ml.Data.LoadFromEnumerable(rows)));
        AssertMessage(ex, "'Weight'", "-1", "row 8", "non-negative");
    }

    [Fact]
    public void Empty_training_data_is_reported()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            _ml.BinaryClassification.Trainers.Mlp().Fit(_ml.Data.LoadFromEnumerable(Array.Empty<SyntheticRows.Row>())));
        AssertMessage(ex, "no rows");
    }

    [Fact]
    public void Rows_with_nan_features_are_skipped_and_counted_in_the_log()
    {
        var rows = SyntheticRows.TwoFeaturesOneInformative(100, seed: 1);
        rows[3].Features[1] = float.NaN;
        rows[40].Features[0] = float.PositiveInfinity;
        var messages = new List<string>();
        var ml = new MLContext(seed: 1);
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };

        ml.BinaryClassification.Trainers.Mlp(numberOfEpochs: 2).Fit(ml.Data.LoadFromEnumerable(rows));

        Assert.Contains(messages, m => m.Contains("Skipped 2 training rows") && m.Contains("'Features'"));
    }

    [Fact]
    public void All_rows_skipped_for_nan_is_a_clear_error()
    {
        var rows = SyntheticRows.TwoFeaturesOneInformative(10, seed: 1);
        foreach (var row in rows)
            row.Features[0] = float.NaN;
        var ex = Assert.Throws<InvalidOperationException>(() =>
            _ml.BinaryClassification.Trainers.Mlp().Fit(_ml.Data.LoadFromEnumerable(rows)));
        AssertMessage(ex, "all 10 rows were skipped", "ReplaceMissingValues");
    }

    [Fact]
    public void Binary_data_with_one_class_is_rejected()
    {
        var rows = SyntheticRows.TwoFeaturesOneInformative(30, seed: 1);
        foreach (var row in rows)
            row.Label = true;
        var ex = Assert.Throws<InvalidOperationException>(() =>
            _ml.BinaryClassification.Trainers.Mlp().Fit(_ml.Data.LoadFromEnumerable(rows)));
        AssertMessage(ex, "'Label'", "only true", "both classes");
    }

    [Fact]
    public void Multiclass_data_with_one_class_is_rejected()
    {
        var data = _ml.Data.LoadFromEnumerable(new[] { new FloatLabel { Label = 4 }, new FloatLabel { Label = 4 } });
        var pipeline = _ml.Transforms.Conversion.MapValueToKey("Label").Append(_ml.MulticlassClassification.Trainers.Mlp());
        var ex = Assert.Throws<InvalidOperationException>(() => pipeline.Fit(data));
        AssertMessage(ex, "'Label'", "at least 2");
    }

    [Fact]
    public void Unnormalized_huge_features_without_input_scaling_make_training_stop_with_a_divergence_error_not_a_nan_model()
    {
        var ex = Assert.Throws<TrainingDivergedException>(() => _ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options
        {
            LabelColumnName = "Target", Preset = MlpPreset.ScikitLearn,
        }).Fit(_ml.Data.LoadFromEnumerable(HugeRows())));
        AssertMessage(ex, "Normalize");
    }

    [Fact]
    public void Unnormalized_huge_features_train_a_finite_model_with_the_default_input_scaling()
    {
        var data = _ml.Data.LoadFromEnumerable(HugeRows());
        var model = _ml.Regression.Trainers.Mlp(labelColumnName: "Target").Fit(data);
        Assert.All(model.Transform(data).GetColumn<float>("Score"), s => Assert.True(float.IsFinite(s)));
    }

    private static SyntheticRows.Row[] HugeRows()
    {
        var rows = SyntheticRows.TwoFeaturesOneInformative(100, seed: 1);
        foreach (var row in rows)
            row.Features = [row.Features[0] * 1e30f, row.Features[1] * 1e30f];
        return rows;
    }

    [Fact]
    public void Scoring_features_of_another_size_fails_with_a_clear_message()
    {
        var model = _ml.BinaryClassification.Trainers.Mlp(numberOfEpochs: 1).Fit(Rows());
        var wider = _ml.Data.LoadFromEnumerable(new[] { new ThreeFeatures() });
        var ex = Assert.ThrowsAny<Exception>(() => model.Transform(wider).GetColumn<float>("Score").ToArray());
        // ML.NET's own scorer check, before any row is scored: it names both vector types.
        Assert.Contains("Vector<Single, 3>", ex.Message);
        Assert.Contains("Vector<Single, 2>", ex.Message);
    }

    private sealed class ThreeFeatures
    {
        [VectorType(3)] public float[] Features { get; set; } = [1, 2, 3];
    }
}
