using MLNetBackprop.Engine.Checkpoints;
using MLNetBackprop.Engine.Collective;
using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.RowSources;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;
using static MLNetBackprop.Tests.TestSupport.TrainingRuns;

namespace MLNetBackprop.Tests.Engine.Collective;

/// <summary>
/// Ranks that each hold only their share of the rows (<see cref="RankRows"/>: row p on rank p mod the rank count),
/// streamed through a shuffle buffer of their own or in memory, on ranks that are threads of this process: every rank
/// ends with the same model, which learns as the whole set does; L-BFGS gives the in-memory sharded model bit for bit;
/// a checkpoint resumes to the uninterrupted model; shares need one shard per rank.
/// </summary>
public class RankShareTrainingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-rank-share-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static TrainingSettings MiniBatches(int ranks, int epochs = 5, float dropout = 0, bool shuffle = true) => new()
    {
        HiddenLayerSizes = [16], Loss = LossKind.Logistic, LearningRate = 0.01f, BatchSize = 24, MaxEpochs = epochs,
        Tolerance = 0, Seed = 3, GradientShards = ranks, DropoutRates = dropout > 0 ? [dropout] : [], Shuffle = shuffle,
    };

    // Rank `rank`'s rows of `set`: those at positions p with p mod `size` = rank, in order.
    private static TrainingSet ShareOf(TrainingSet set, int rank, int size)
        => set.Subset(Enumerable.Range(0, set.RowCount).Select(p => p % size == rank).ToArray());

    private static RankRows Share(TrainingSet set, ICollective rank, string storage, int bufferRows = 16) => RankRows.Interleaved(
        storage == "streamed" ? new TrainingSetStream(ShareOf(set, rank.Rank, rank.Size)).Source(bufferRows)
            : new InMemoryRowSource(ShareOf(set, rank.Rank, rank.Size)),
        rank.Rank, rank.Size, set.RowCount, CheckpointStore.HashData(set));

    private static TrainingResult[] OnShares(int ranks, TrainingSet data, TrainingSettings settings, string storage,
        Func<ICollective, TrainingRunOptions>? run = null)
        => ThreadCollective.Run(ranks, c => NetworkTrainer.Train(Share(data, c, storage), settings,
            run?.Invoke(c) ?? new TrainingRunOptions { Collective = c }));

    private static int[] ParameterBits(TrainingResult result) => Bits(result.Network.Parameters.ToArray());

    [Theory]
    [InlineData("streamed", 2, 0f)]
    [InlineData("streamed", 3, 0f)]
    [InlineData("streamed", 2, 0.2f)]
    [InlineData("in memory", 3, 0f)]
    public void Every_rank_ends_with_the_same_model_and_the_same_history(string storage, int ranks, float dropout)
    {
        var results = OnShares(ranks, Learnable(151), MiniBatches(ranks, dropout: dropout), storage);

        Assert.All(results, r => Assert.Equal(ParameterBits(results[0]), ParameterBits(r)));
        Assert.All(results, r => Assert.Equal(results[0].History.Select(h => h.TrainingLoss), r.History.Select(h => h.TrainingLoss)));
        Assert.Equal(ParameterBits(results[0]), ParameterBits(OnShares(ranks, Learnable(151), MiniBatches(ranks, dropout: dropout), storage)[0]));
    }

    [Theory]
    [InlineData("streamed")]
    [InlineData("in memory")]
    public void Ranks_holding_different_rows_all_scale_their_inputs_as_rank_0_fitted(string storage)
    {
        var data = Learnable(151);
        var settings = MiniBatches(3);
        var scaled = new TrainingSettings
        {
            HiddenLayerSizes = settings.HiddenLayerSizes, Loss = settings.Loss, LearningRate = settings.LearningRate,
            BatchSize = settings.BatchSize, MaxEpochs = settings.MaxEpochs, Tolerance = 0, Seed = settings.Seed,
            GradientShards = 3, InputScaling = InputScalingKind.Robust,
        };

        var results = OnShares(3, data, scaled, storage);

        var rankZeros = InputScalingFitter.Fit(new InMemoryRowSource(ShareOf(data, 0, 3)))!;
        Assert.All(results, r =>
        {
            Assert.Equal(rankZeros.Centers.ToArray(), r.Network.Scaling!.Centers.ToArray());
            Assert.Equal(rankZeros.Factors.ToArray(), r.Network.Scaling.Factors.ToArray());
            Assert.Equal(ParameterBits(results[0]), ParameterBits(r));
        });
    }

    [Fact]
    public void Sparse_rows_streamed_in_shares_train_one_model_on_every_rank()
    {
        var data = Sparse(rows: 200);

        var results = OnShares(3, data, MiniBatches(3), "streamed");

        Assert.True(data.IsSparse);
        Assert.All(results, r => Assert.Equal(ParameterBits(results[0]), ParameterBits(r)));
    }

    [Fact]
    public void Shares_streamed_through_small_buffers_learn_as_well_as_the_whole_set_in_memory()
    {
        var data = Learnable(600, seed: 21);
        var test = Learnable(400, seed: 31);

        var whole = NetworkTrainer.Train(data, MiniBatches(1, epochs: 30));
        var shared = OnShares(2, data, MiniBatches(2, epochs: 30), "streamed", run: null)[0];

        Assert.True(Accuracy(shared, test) > Accuracy(whole, test) - 0.03, $"{Accuracy(shared, test)} against {Accuracy(whole, test)}");
    }

    [Fact]
    public void Without_shuffling_each_batch_takes_every_ranks_part_in_the_streams_order()
    {
        var results = OnShares(2, Learnable(151), MiniBatches(2, shuffle: false), "streamed");

        Assert.Equal(ParameterBits(results[0]), ParameterBits(results[1]));
        Assert.Equal(ParameterBits(results[0]), ParameterBits(OnShares(2, Learnable(151), MiniBatches(2, shuffle: false), "in memory")[0]));
    }

    [Fact]
    public void Lbfgs_over_streamed_shares_gives_the_in_memory_model_of_one_shard_per_rank_bit_for_bit()
    {
        // Shard m of the whole set in memory holds the rows at positions m, m + 2, ...: rank m's share, in its order.
        var data = Learnable(2500);
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [8], Loss = LossKind.Logistic, Optimizer = OptimizerKind.Lbfgs, L2 = 1e-3f, MaxEpochs = 8,
            Tolerance = 0, Seed = 5, GradientShards = 2,
        };

        var inMemory = NetworkTrainer.Train(data, settings);
        var streamed = OnShares(2, data, settings, "streamed");

        Assert.All(streamed, r => Assert.Equal(ParameterBits(inMemory), ParameterBits(r)));
    }

    [Fact]
    public void A_run_on_shares_cancelled_on_rank_0_resumes_from_its_checkpoint_to_the_uninterrupted_model()
    {
        var data = Learnable(151);
        var settings = MiniBatches(2, epochs: 6);
        var path = Path.Combine(_folder, "share.ckpt");
        var uninterrupted = OnShares(2, data, settings, "streamed")[0];

        var cancel = new CancellationTokenSource();
        OnShares(2, data, settings, "streamed", c => new TrainingRunOptions
        {
            Collective = c, CheckpointPath = path, Cancellation = c.Rank == 0 ? cancel.Token : default,
            OnEpoch = e => { if (e.Epoch == 2) cancel.Cancel(); },
        });
        var resumed = OnShares(2, data, settings, "streamed", c => new TrainingRunOptions { Collective = c, CheckpointPath = path });

        Assert.All(resumed, r => Assert.Equal(ParameterBits(uninterrupted), ParameterBits(r)));
    }

    [Fact]
    public void A_share_that_is_not_one_shard_per_rank_is_refused_naming_gradient_shards()
    {
        var error = Assert.Throws<AggregateException>(() => OnShares(2, Learnable(151), MiniBatches(ranks: 4), "streamed"));

        Assert.Contains("GradientShards is 4, but a rank's share of the rows is one shard: use 2", error.InnerException!.Message);
    }
}
