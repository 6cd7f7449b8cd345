using Microsoft.ML;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>
/// TrainOnHeldOutRows through the trainers: when the automatic rule trains on the held-out rows too and when it does
/// not, the errors of an explicit true that cannot apply, vector labels, and the phase of each epoch after Save/Load.
/// </summary>
public class TrainOnHeldOutRowsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-held-out-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static IDataView Rows(MLContext ml, int count, int seed = 1) => ml.Data.LoadFromEnumerable(SyntheticRows.TwoFeaturesOneInformative(count, seed));

    // Small and quick: 300 rows, a narrow layer and a short patience, so the validation set stops the run early.
    private static MlpBinaryTrainer.Options Binary(Action<MlpBinaryTrainer.Options>? configure = null)
    {
        var options = new MlpBinaryTrainer.Options { HiddenLayerSizes = [8], LearningRate = 0.01f, BatchSize = 32, EpochsWithoutImprovement = 5, Seed = 3 };
        configure?.Invoke(options);
        return options;
    }

    private static int AllRowsEpochs(IReadOnlyList<MlpEpochReport> history) => history.Count(e => e.Phase == MlpTrainingPhase.AllRows);

    [Fact]
    public void By_default_training_continues_from_the_epoch_a_held_out_validation_set_picks_on_every_row()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 300);
        var model = ml.BinaryClassification.Trainers.Mlp(Binary()).Fit(data).Model;
        var history = model.TrainingHistory;
        var firstPhase = history.Count - AllRowsEpochs(history);
        var best = ml.BinaryClassification.Trainers.Mlp(Binary(o => o.TrainOnHeldOutRows = false)).Fit(data).Model;
        var epochs = Math.Max(5, (int)Math.Round(best.BestEpoch / 4.0, MidpointRounding.AwayFromZero)); // a quarter, at least 5

        Assert.Equal(epochs, AllRowsEpochs(history));
        Assert.All(history.Take(firstPhase), e => Assert.Equal((MlpTrainingPhase.Main, true), (e.Phase, e.ValidationLoss is not null)));
        Assert.All(history.Skip(firstPhase), e => Assert.Equal((MlpTrainingPhase.AllRows, false), (e.Phase, e.ValidationLoss is not null)));
        Assert.Equal(history.Count, model.BestEpoch);
        Assert.All(history.Skip(firstPhase), e => Assert.Equal(history.Count, e.EpochLimit)); // progress bars end with the run

        // By hand: the first phase's best network, warm-started on every row for those epochs at half its rate.
        var byHand = ml.BinaryClassification.Trainers.Mlp(Binary(o => (o.ValidationFraction, o.NumberOfEpochs, o.LearningRate, o.Tolerance) =
            (0, epochs, 0.5f * 0.01f, 0))).Fit(data, best).Model;
        for (var layer = 0; layer < 2; layer++)
        {
            Assert.Equal(byHand.GetLayerParameters(layer).Weights, model.GetLayerParameters(layer).Weights);
            Assert.Equal(byHand.GetLayerParameters(layer).Biases, model.GetLayerParameters(layer).Biases);
        }
    }

    public static TheoryData<string> NotApplying => new()
    {
        "explicit ValidationFraction", "TrainOnHeldOutRows false", "validation set given", "scikit-learn preset", "fewer than 100 rows", "streamed rows",
        "GradientShards set", "L-BFGS",
    };

    [Theory]
    [MemberData(nameof(NotApplying))]
    public void The_automatic_rule_leaves_the_held_out_rows_alone_when(string situation)
    {
        var ml = new MLContext(seed: 1);
        var options = Binary(o =>
        {
            if (situation == "explicit ValidationFraction")
                o.ValidationFraction = 0.2f;
            else if (situation == "TrainOnHeldOutRows false")
                o.TrainOnHeldOutRows = false;
            else if (situation == "scikit-learn preset")
                o.Preset = MlpPreset.ScikitLearn;
            else if (situation == "streamed rows")
                o.DataLoading = MlpDataLoading.Streaming;
            else if (situation == "GradientShards set") // one process must give the model of a cluster of as many shards
                o.GradientShards = 2;
            else if (situation == "L-BFGS")
                (o.Optimizer, o.LearningRate) = (MlpOptimizer.Lbfgs, null);
        });
        var trainer = ml.BinaryClassification.Trainers.Mlp(options);
        var model = situation switch
        {
            "validation set given" => trainer.Fit(Rows(ml, 300), Rows(ml, 100, seed: 2)).Model,
            "fewer than 100 rows" => trainer.Fit(Rows(ml, 99)).Model,
            _ => trainer.Fit(Rows(ml, 300)).Model,
        };
        Assert.Equal(0, AllRowsEpochs(model.TrainingHistory));
        Assert.Equal(situation is "explicit ValidationFraction" or "TrainOnHeldOutRows false" or "validation set given" or "streamed rows" or "GradientShards set" or "L-BFGS",
            model.TrainingHistory[0].ValidationLoss is not null);
    }

    [Fact]
    public void An_explicit_true_trains_on_the_rows_an_explicit_fraction_held_out()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.BinaryClassification.Trainers.Mlp(Binary(o => (o.ValidationFraction, o.TrainOnHeldOutRows) = (0.3f, true))).Fit(Rows(ml, 300)).Model;
        Assert.True(AllRowsEpochs(model.TrainingHistory) > 0);
    }

    [Fact]
    public void An_explicit_true_that_cannot_apply_is_an_error_naming_the_option()
    {
        var ml = new MLContext(seed: 1);
        foreach (var configure in new Action<MlpBinaryTrainer.Options>[]
        {
            o => o.DataLoading = MlpDataLoading.Streaming,
            o => o.ValidationFraction = 0,
            o => o.Optimizer = MlpOptimizer.Lbfgs,
        })
        {
            var e = Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.Mlp(Binary(o => { o.TrainOnHeldOutRows = true; configure(o); })));
            Assert.Equal(nameof(MlpOptionsBase.TrainOnHeldOutRows), e.ParamName);
        }
    }

    [Fact]
    public void A_cluster_of_two_ranks_trains_without_the_held_out_rows_and_refuses_an_explicit_true()
    {
        var histories = ThreadCollective.Run(2, c =>
        {
            var ml = new MLContext(seed: 1);
            return ml.BinaryClassification.Trainers.Mlp(Binary(o => o.Cluster = new CollectiveCluster(c))).Fit(Rows(ml, 300)).Model.TrainingHistory;
        });
        Assert.All(histories, h => Assert.Equal(0, AllRowsEpochs(h)));
        Assert.All(histories, h => Assert.NotNull(h[0].ValidationLoss));

        ThreadCollective.Run(2, c =>
        {
            var e = Assert.Throws<ArgumentException>(() => new MLContext(seed: 1).BinaryClassification.Trainers.Mlp(
                Binary(o => (o.Cluster, o.TrainOnHeldOutRows) = (new CollectiveCluster(c), true))));
            Assert.Equal(nameof(MlpOptionsBase.TrainOnHeldOutRows), e.ParamName);
            return 0;
        });
    }

    [Fact]
    public void A_warm_start_goes_on_to_the_held_out_rows_under_the_automatic_rule_too()
    {
        var ml = new MLContext(seed: 1);
        var initial = ml.BinaryClassification.Trainers.Mlp(Binary(o => o.NumberOfEpochs = 2)).Fit(Rows(ml, 300)).Model;
        var model = ml.BinaryClassification.Trainers.Mlp(Binary()).Fit(Rows(ml, 300), initial).Model;
        Assert.True(AllRowsEpochs(model.TrainingHistory) >= 5);
    }

    [Fact]
    public void Vector_labels_train_on_the_held_out_rows_too_and_the_same_seed_gives_the_same_model()
    {
        var ml = new MLContext(seed: 1);
        var data = VectorLabelRows.View(ml);
        MlpRegressionModelParameters Regression() => VectorLabelRows.RegressionLabel(ml)
            .Append(ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options { HiddenLayerSizes = [16], EpochsWithoutImprovement = 5, Seed = 4 }))
            .Fit(data).LastTransformer.Model;
        MlpBinaryModelParameters Tags() => VectorLabelRows.TagLabel(ml)
            .Append(ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options { HiddenLayerSizes = [16], EpochsWithoutImprovement = 5, Seed = 4 }))
            .Fit(data).LastTransformer.Model;

        var (regression, tags) = (Regression(), Tags());
        Assert.True(AllRowsEpochs(regression.TrainingHistory) > 0);
        Assert.True(AllRowsEpochs(tags.TrainingHistory) > 0);
        Assert.Equal(regression.GetLayerParameters(1).Weights, Regression().GetLayerParameters(1).Weights);
        Assert.Equal(tags.GetLayerParameters(1).Weights, Tags().GetLayerParameters(1).Weights);
    }

    [Fact]
    public void A_saved_model_keeps_the_phase_of_each_epoch()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 300);
        var model = ml.BinaryClassification.Trainers.Mlp(Binary()).Fit(data);
        var path = Path.Combine(_folder, "model.zip");
        ml.Model.Save(model, data.Schema, path);
        var loaded = (Microsoft.ML.Data.BinaryPredictionTransformer<MlpBinaryModelParameters>)ml.Model.Load(path, out _);

        Assert.Equal(model.Model.TrainingHistory.Select(e => (e.Epoch, e.Phase)), loaded.Model.TrainingHistory.Select(e => (e.Epoch, e.Phase)));
        Assert.Equal(model.Model.BestEpoch, loaded.Model.BestEpoch);
    }
}
