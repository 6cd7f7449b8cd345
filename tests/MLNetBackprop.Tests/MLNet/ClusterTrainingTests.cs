using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>
/// ML.NET pipelines trained with Options.Cluster by ranks that are threads of this process: ranks given views of
/// their own rows (ClusterData ViewPerRank) agree on the rows' count and label statistics, train one model on every
/// rank, in memory or streamed, and learn as one process on the whole view does; validation rows held out of each
/// rank's rows stop every rank on the same epoch.
/// </summary>
public class ClusterTrainingTests
{
    private const int Ranks = 2;

    // Digits with 0-1 pixels (the normalizer fitted once on every row, as a shared preprocessing step must be) and a
    // key label ordered by value, so every rank's rows mean the same whatever part it holds.
    private static IDataView Digits(MLContext ml)
    {
        var raw = ShippedData.Digits(ml);
        return ml.Transforms.NormalizeMinMax("Features", "Pixels")
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue))
            .Fit(raw).Transform(raw);
    }

    // Rank r's own view: a contiguous part of the rows (rank 0 the first 900, rank 1 the rest).
    private static IDataView PartOf(MLContext ml, IDataView all, int rank)
        => rank == 0 ? ml.Data.TakeRows(all, 900) : ml.Data.SkipRows(all, 900);

    private static MlpMulticlassTrainer.Options Options(ITrainingCluster? cluster, MlpDataLoading loading, float? validation = 0) => new()
    {
        HiddenLayerSizes = [32], NumberOfEpochs = 15, BatchSize = 32, Seed = 5, Cluster = cluster, DataLoading = loading,
        ClusterData = cluster is null ? MlpClusterData.SameView : MlpClusterData.ViewPerRank, ValidationFraction = validation,
        ShuffleBufferSize = loading == MlpDataLoading.Streaming ? 128 : null,
    };

    private static (float[][] Scores, double Accuracy, MlpMulticlassModelParameters Model) Train(MlpMulticlassTrainer.Options options, int rank)
    {
        var ml = new MLContext(seed: 1);
        var all = Digits(ml);
        var view = options.Cluster is null ? all : PartOf(ml, all, rank);
        var model = ml.MulticlassClassification.Trainers.Mlp(options).Fit(view);
        var scored = model.Transform(all);
        return (scored.GetColumn<float[]>("Score").ToArray(), ml.MulticlassClassification.Evaluate(scored).MicroAccuracy, model.Model);
    }

    [Theory]
    [InlineData(MlpDataLoading.InMemory)]
    [InlineData(MlpDataLoading.Streaming)]
    public void Ranks_given_their_own_views_train_one_model_that_learns_like_one_process_on_the_whole_view(MlpDataLoading loading)
    {
        var alone = Train(Options(null, MlpDataLoading.InMemory), 0);

        var ranks = ThreadCollective.Run(Ranks, c => Train(Options(new CollectiveCluster(c), loading), c.Rank));

        Assert.Equal(ranks[0].Scores, ranks[1].Scores);
        Assert.True(ranks[0].Accuracy > alone.Accuracy - 0.03, $"{ranks[0].Accuracy:F3} on {Ranks} ranks against {alone.Accuracy:F3} alone");
    }

    [Fact]
    public void Validation_rows_held_out_of_each_ranks_rows_stop_every_rank_on_the_same_epoch()
    {
        var ranks = ThreadCollective.Run(Ranks, c =>
        {
            var options = Options(new CollectiveCluster(c), MlpDataLoading.InMemory, validation: 0.2f);
            (options.NumberOfEpochs, options.Tolerance, options.EpochsWithoutImprovement) = (200, 1e-2f, 3);
            return Train(options, c.Rank).Model;
        });

        Assert.True(ranks[0].TrainingHistory.Count < 200, "early stopping never stopped the run");
        Assert.Equal(ranks[0].BestEpoch, ranks[1].BestEpoch);
        Assert.Equal(ranks[0].TrainingHistory.Select(e => e.ValidationLoss), ranks[1].TrainingHistory.Select(e => e.ValidationLoss));
    }

    [Fact]
    public void Regression_ranks_standardize_the_label_by_the_moments_of_every_ranks_rows()
    {
        // Each rank holds a part of the diabetes rows whose labels differ in scale; one scaling for both keeps the
        // ranks' models equal (a rank-local scaling would make them disagree after the first epoch).
        var scores = ThreadCollective.Run(Ranks, c =>
        {
            var ml = new MLContext(seed: 1);
            var raw = ShippedData.Diabetes(ml);
            var all = ml.Transforms.NormalizeMeanVariance("Features", "Measurements").Fit(raw).Transform(raw);
            var view = c.Rank == 0 ? ml.Data.TakeRows(all, 150) : ml.Data.SkipRows(all, 150);
            var model = ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options
            {
                HiddenLayerSizes = [16], NumberOfEpochs = 20, Seed = 5, Cluster = new CollectiveCluster(c), ClusterData = MlpClusterData.ViewPerRank,
            }).Fit(view);
            return model.Transform(all).GetColumn<float>("Score").ToArray();
        });

        Assert.Equal(scores[0], scores[1]);
    }
}
