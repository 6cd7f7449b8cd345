using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Conformance;

/// <summary>
/// The same behavioural contract, checked for each of the three trainers, on dense feature vectors and on sparse
/// ones (<see cref="FeatureInput"/>: every check that trains asserts from the log that sparse input trained on sparse rows).
/// </summary>
public class TrainerConformanceTests
{
    private const int FeatureCount = 4;

    private static float[][] Scores(ITransformer model, IDataView data, TrainerUnderTest trainer)
    {
        var scored = model.Transform(data);
        return trainer == TrainerUnderTest.Multiclass
            ? scored.GetColumn<float[]>("Score").ToArray()
            : scored.GetColumn<float>("Score").Select(s => new[] { s }).ToArray();
    }

    // Fits, and checks that training held the rows as the input promises.
    private static ITransformer Fit(IEstimator<ITransformer> pipeline, IDataView data, FeatureInput input, List<string> log)
    {
        var model = pipeline.Fit(data);
        input.AssertTrainingStorage(log);
        return model;
    }

    private static void AssertNoTrainingStarted(List<string> log)
        => Assert.DoesNotContain(log, m => m.Contains("Epoch 1:"));

    [Theory]
    [MemberData(nameof(FeatureInput.TrainersAndInputs), MemberType = typeof(FeatureInput))]
    public void Fitting_leaves_the_input_rows_unchanged(string name, string inputName)
    {
        var (trainer, input) = (TrainerUnderTest.Named(name), FeatureInput.Named(inputName));
        var (ml, log) = TrainingLog.Context();
        var rows = ConformanceRow.Generate(60, FeatureCount, seed: 1);
        var before = rows.Select(r => r.Clone()).ToArray();

        Fit(trainer.Pipeline(ml), input.View(ml, rows, FeatureCount), input, log);

        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(before[i].Features, rows[i].Features);
            Assert.Equal((before[i].Flag, before[i].Class, before[i].Target, before[i].Weight),
                (rows[i].Flag, rows[i].Class, rows[i].Target, rows[i].Weight));
        }
    }

    [Theory]
    [MemberData(nameof(FeatureInput.TrainersAndInputs), MemberType = typeof(FeatureInput))]
    public void Fitting_twice_with_one_seed_gives_bit_identical_scores_and_another_seed_differs(string name, string inputName)
    {
        var (trainer, input) = (TrainerUnderTest.Named(name), FeatureInput.Named(inputName));
        float[][] Run(int seed)
        {
            var (ml, log) = TrainingLog.Context(seed);
            var data = input.View(ml, ConformanceRow.Generate(80, FeatureCount, seed: 2), FeatureCount);
            return Scores(Fit(trainer.Pipeline(ml), data, input, log), data, trainer);
        }

        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Theory]
    [MemberData(nameof(FeatureInput.TrainersAndInputs), MemberType = typeof(FeatureInput))]
    public void Missing_feature_column_fails_before_any_training(string name, string inputName)
    {
        var (ml, log) = TrainingLog.Context();
        var data = FeatureInput.Named(inputName).View(ml, ConformanceRow.Generate(20, FeatureCount, 1), FeatureCount);
        var ex = Assert.ThrowsAny<ArgumentException>(() =>
            TrainerUnderTest.Named(name).Pipeline(ml, o => o.FeatureColumnName = "Pixels").Fit(data));
        Assert.Contains("'Pixels'", ex.Message);
        AssertNoTrainingStarted(log);
    }

    [Theory]
    [MemberData(nameof(FeatureInput.TrainersAndInputs), MemberType = typeof(FeatureInput))]
    public void Label_of_the_wrong_kind_fails_before_any_training_naming_the_column(string name, string inputName)
    {
        var (ml, log) = TrainingLog.Context();
        var data = FeatureInput.Named(inputName).View(ml, ConformanceRow.Generate(20, FeatureCount, 1), FeatureCount);
        // Weight is a float column: the wrong kind for both classifiers; for regression use the bool Flag.
        var wrongLabel = name == "regression" ? "Flag" : "Weight";
        var ex = Assert.ThrowsAny<ArgumentException>(() =>
            TrainerUnderTest.Named(name).Trainer(ml, o => o.LabelColumnName = wrongLabel).Fit(data));
        Assert.Contains($"Label column '{wrongLabel}'", ex.Message);
        AssertNoTrainingStarted(log);
    }

    [Theory]
    [MemberData(nameof(FeatureInput.TrainersAndInputs), MemberType = typeof(FeatureInput))]
    public void Variable_length_feature_vector_fails_before_any_training(string name, string inputName)
    {
        var (ml, log) = TrainingLog.Context();
        var data = FeatureInput.Named(inputName).ViewOfUnknownSize(ml, ConformanceRow.Generate(20, FeatureCount, 1), FeatureCount);
        var ex = Assert.ThrowsAny<ArgumentException>(() => TrainerUnderTest.Named(name).Pipeline(ml).Fit(data));
        Assert.Contains("unknown size", ex.Message);
        AssertNoTrainingStarted(log);
    }

    [Theory]
    [InlineData("binary", -1f, "dense")]
    [InlineData("binary", -1f, "sparse")]
    [InlineData("multiclass", float.NaN, "dense")]
    [InlineData("multiclass", float.NaN, "sparse")]
    [InlineData("regression", float.PositiveInfinity, "dense")]
    [InlineData("regression", float.PositiveInfinity, "sparse")]
    public void Negative_or_non_finite_example_weight_fails_before_any_training(string name, float weight, string inputName)
    {
        var (ml, log) = TrainingLog.Context();
        var rows = ConformanceRow.Generate(20, FeatureCount, 1);
        rows[4].Weight = weight;
        var data = FeatureInput.Named(inputName).View(ml, rows, FeatureCount);
        var ex = Assert.Throws<InvalidOperationException>(() => TrainerUnderTest.Named(name)
            .Pipeline(ml, o => o.ExampleWeightColumnName = "Weight").Fit(data));
        Assert.Contains("'Weight'", ex.Message);
        Assert.Contains("row 5", ex.Message);
        AssertNoTrainingStarted(log);
    }

    [Theory]
    [MemberData(nameof(FeatureInput.TrainersAndInputs), MemberType = typeof(FeatureInput))]
    public void A_single_row_trains_a_regressor_and_is_one_class_for_classifiers(string name, string inputName)
    {
        var input = FeatureInput.Named(inputName);
        var (ml, log) = TrainingLog.Context();
        var data = input.View(ml, ConformanceRow.Generate(1, FeatureCount, 3), FeatureCount);
        var pipeline = TrainerUnderTest.Named(name).Pipeline(ml);
        if (name == "regression")
            Assert.All(Scores(Fit(pipeline, data, input, log), data, TrainerUnderTest.Regression), s => Assert.True(float.IsFinite(s[0])));
        else
            Assert.Contains("class", Assert.Throws<InvalidOperationException>(() => pipeline.Fit(data)).Message);
    }

    [Theory]
    [MemberData(nameof(FeatureInput.TrainersAndInputs), MemberType = typeof(FeatureInput))]
    public void A_single_feature_is_enough_to_learn(string name, string inputName)
    {
        var (trainer, input) = (TrainerUnderTest.Named(name), FeatureInput.Named(inputName));
        var (ml, log) = TrainingLog.Context();
        var data = input.View(ml, ConformanceRow.Generate(200, 1, 4), 1);
        var model = Fit(trainer.Pipeline(ml, o => o.NumberOfEpochs = 60), data, input, log);
        var scored = model.Transform(data);
        var quality = name switch
        {
            "binary" => ml.BinaryClassification.Evaluate(scored, "Flag").Accuracy,
            "multiclass" => ml.MulticlassClassification.Evaluate(scored, "ClassKey").MicroAccuracy,
            _ => ml.Regression.Evaluate(scored, "Target").RSquared,
        };
        Assert.True(quality > 0.8, $"{name} on one {inputName} feature: {quality}");
    }

    [Theory]
    [MemberData(nameof(FeatureInput.TrainersAndInputs), MemberType = typeof(FeatureInput))]
    public void Constant_features_and_duplicate_rows_train_to_finite_scores(string name, string inputName)
    {
        var (trainer, input) = (TrainerUnderTest.Named(name), FeatureInput.Named(inputName));
        var (ml, log) = TrainingLog.Context();
        var rows = ConformanceRow.Generate(30, FeatureCount, 5);
        foreach (var row in rows)
            row.Features[2] = row.Features[3] = 7f; // two constant columns
        var duplicated = rows.Concat(rows.Select(r => r.Clone())).ToArray();
        var data = input.View(ml, duplicated, FeatureCount);

        var scores = Scores(Fit(trainer.Pipeline(ml), data, input, log), data, trainer);

        Assert.All(scores, row => Assert.All(row, s => Assert.True(float.IsFinite(s))));
    }

    [Theory]
    [MemberData(nameof(FeatureInput.TrainersAndInputs), MemberType = typeof(FeatureInput))]
    public void All_rows_skipped_for_nan_is_a_clear_error(string name, string inputName)
    {
        var ml = new MLContext(seed: 1);
        var rows = ConformanceRow.Generate(12, FeatureCount, 1);
        foreach (var row in rows)
            row.Features[1] = float.NaN;
        var data = FeatureInput.Named(inputName).View(ml, rows, FeatureCount);
        var ex = Assert.Throws<InvalidOperationException>(() => TrainerUnderTest.Named(name).Pipeline(ml).Fit(data));
        Assert.Contains("all 12 rows were skipped", ex.Message);
    }

    [Theory]
    [MemberData(nameof(FeatureInput.TrainersAndInputs), MemberType = typeof(FeatureInput))]
    public void Extreme_unnormalized_features_without_input_scaling_are_reported_as_divergence(string name, string inputName)
    {
        var input = FeatureInput.Named(inputName);
        var (ml, log) = TrainingLog.Context();
        var data = input.View(ml, ExtremeRows(), FeatureCount);
        var ex = Assert.Throws<TrainingDivergedException>(() => TrainerUnderTest.Named(name).Pipeline(ml, o =>
        {
            o.NumberOfEpochs = 20;
            o.InputScaling = MlpInputScaling.None;
        }).Fit(data));
        Assert.Contains("Normalize", ex.Message);
        Assert.Contains("InputScaling", ex.Message);
        input.AssertTrainingStorage(log);
    }

    [Theory]
    [MemberData(nameof(FeatureInput.TrainersAndInputs), MemberType = typeof(FeatureInput))]
    public void Extreme_unnormalized_features_train_a_finite_model_with_robust_input_scaling(string name, string inputName)
    {
        var (trainer, input) = (TrainerUnderTest.Named(name), FeatureInput.Named(inputName));
        var (ml, log) = TrainingLog.Context();
        var data = input.View(ml, ExtremeRows(), FeatureCount);
        var model = Fit(trainer.Pipeline(ml, o =>
        {
            o.NumberOfEpochs = 20;
            o.InputScaling = MlpInputScaling.Robust;
        }), data, input, log);
        Assert.All(Scores(model, data, trainer).SelectMany(s => s), score => Assert.True(float.IsFinite(score), $"score {score}"));
    }

    private static ConformanceRow[] ExtremeRows()
    {
        var rows = ConformanceRow.Generate(50, FeatureCount, 1);
        foreach (var row in rows)
            for (var j = 0; j < FeatureCount; j++)
                row.Features[j] *= 1e30f;
        return rows;
    }

    [Theory]
    [MemberData(nameof(FeatureInput.TrainersAndInputs), MemberType = typeof(FeatureInput))]
    public void Scoring_features_of_another_size_fails_naming_both_sizes(string name, string inputName)
    {
        var (trainer, input) = (TrainerUnderTest.Named(name), FeatureInput.Named(inputName));
        var (ml, log) = TrainingLog.Context();
        var model = Fit(trainer.Pipeline(ml), input.View(ml, ConformanceRow.Generate(40, FeatureCount, 1), FeatureCount), input, log);
        var wider = input.View(ml, ConformanceRow.Generate(5, FeatureCount + 1, 2), FeatureCount + 1);

        var ex = Assert.ThrowsAny<Exception>(() => Scores(model, wider, trainer));

        Assert.Contains($"Vector<Single, {input.Width(FeatureCount + 1)}>", ex.Message);
        Assert.Contains($"Vector<Single, {input.Width(FeatureCount)}>", ex.Message);
    }

    [Theory]
    [MemberData(nameof(FeatureInput.Names), MemberType = typeof(FeatureInput))]
    public void A_class_missing_from_the_training_rows_still_gets_a_score_and_evaluation_runs(string inputName)
    {
        var input = FeatureInput.Named(inputName);
        var (ml, log) = TrainingLog.Context();
        var rows = ConformanceRow.Generate(150, FeatureCount, 6);
        var all = input.View(ml, rows, FeatureCount);
        var keys = ml.Transforms.Conversion.MapValueToKey("ClassKey", "Class").Fit(all); // knows classes 0, 1, 2
        var trainRows = input.View(ml, rows.Where(r => r.Class != 2), FeatureCount);
        var trainer = ml.MulticlassClassification.Trainers.Mlp(new MlpMulticlassTrainer.Options
        {
            LabelColumnName = "ClassKey", HiddenLayerSizes = [8], NumberOfEpochs = 100, LearningRate = 0.02f, BatchSize = 16,
        });

        var model = trainer.Fit(keys.Transform(trainRows));
        var scored = model.Transform(keys.Transform(all));
        var metrics = ml.MulticlassClassification.Evaluate(scored, "ClassKey");

        input.AssertTrainingStorage(log);
        Assert.Equal(3, model.Model.ClassCount);
        Assert.All(scored.GetColumn<float[]>("Score"), s => Assert.Equal(3, s.Length));
        Assert.InRange(metrics.MicroAccuracy, 0.5, 0.7); // class 2 (a third of the rows) is never predicted right
    }

    [Theory]
    [MemberData(nameof(FeatureInput.Names), MemberType = typeof(FeatureInput))]
    public void Labels_unseen_at_training_are_treated_as_missing_by_evaluation(string inputName)
    {
        var input = FeatureInput.Named(inputName);
        var (ml, log) = TrainingLog.Context();
        var rows = ConformanceRow.Generate(150, FeatureCount, 7);
        var train = input.View(ml, rows.Where(r => r.Class != 2), FeatureCount);
        var test = input.View(ml, rows, FeatureCount);
        var model = Fit(TrainerUnderTest.Multiclass.Pipeline(ml, o => o.NumberOfEpochs = 20), train, input, log);

        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test), "ClassKey");

        Assert.True(metrics.MicroAccuracy > 0.8, $"accuracy on the known classes {metrics.MicroAccuracy}");
    }
}
