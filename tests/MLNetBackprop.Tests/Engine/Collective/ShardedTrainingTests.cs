using MLNetBackprop.Engine.Collective;
using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.RowSources;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;
using static MLNetBackprop.Tests.TestSupport.TrainingRuns;

namespace MLNetBackprop.Tests.Engine.Collective;

/// <summary>
/// Training split into gradient shards, on ranks that are threads of this process (the MPI tests run the same on
/// processes): the model depends on the shard count and not on the number of ranks, bit for bit, for mini-batches
/// and L-BFGS, dense and sparse rows, with dropout, example weights, validation, and a checkpoint resumed part-way;
/// ranks that disagree fail at the start.
/// </summary>
public class ShardedTrainingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-sharded-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Adam mini-batches with clipping, weight decay and L2; 150 rows in batches of 24 leave a short last batch, and
    // split unevenly among 4 or 3 ranks.
    private static TrainingSettings MiniBatches(int shards, int epochs = 5, int[]? hidden = null, float dropout = 0) => new()
    {
        HiddenLayerSizes = hidden ?? [16, 8], Loss = LossKind.Logistic, LearningRate = 0.01f, BatchSize = 24, MaxEpochs = epochs,
        Tolerance = 0, Seed = 3, GradientClipNorm = 5, WeightDecay = 0.01f, L2 = 1e-3f, GradientShards = shards,
        DropoutRates = dropout > 0 ? [dropout] : [],
    };

    private static TrainingResult[] OnRanks(int ranks, TrainingSet data, TrainingSettings settings, Func<ICollective, TrainingRunOptions>? run = null)
        => ThreadCollective.Run(ranks, collective => NetworkTrainer.Train(new InMemoryRowSource(data), settings,
            run?.Invoke(collective) ?? new TrainingRunOptions { Collective = collective }));

    private static int[] ParameterBits(TrainingResult result) => Bits(result.Network.Parameters.ToArray());

    [Theory]
    [InlineData("dense", 1)]
    [InlineData("dense", 2)]
    [InlineData("dense", 3)]
    [InlineData("dense", 6)]
    [InlineData("sparse", 2)]
    [InlineData("sparse", 3)]
    [InlineData("dense with dropout", 2)]
    [InlineData("dense with dropout", 3)]
    public void Six_gradient_shards_train_the_same_model_bit_for_bit_on_any_rank_count_that_divides_them(string storage, int ranks)
    {
        var data = storage == "sparse" ? Sparse() : Learnable(150);
        var settings = MiniBatches(shards: 6, dropout: storage.EndsWith("dropout", StringComparison.Ordinal) ? 0.2f : 0);

        var alone = NetworkTrainer.Train(data, settings);
        var together = OnRanks(ranks, data, settings);

        Assert.All(together, result => Assert.Equal(ParameterBits(alone), ParameterBits(result)));
        Assert.All(together, result => Assert.Equal(alone.History.Select(h => h.TrainingLoss), result.History.Select(h => h.TrainingLoss)));
    }

    [Fact]
    public void Two_shards_on_two_ranks_sum_with_a_plain_allreduce_and_match_two_shards_on_one()
    {
        var data = Learnable(150);
        var settings = MiniBatches(shards: 2);

        Assert.All(OnRanks(2, data, settings), result => Assert.Equal(ParameterBits(NetworkTrainer.Train(data, settings)), ParameterBits(result)));
    }

    [Fact]
    public void Without_shard_order_each_rank_sends_only_the_parameters_and_every_rank_ends_with_the_same_model()
    {
        var data = Learnable(150);
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [16, 8], Loss = LossKind.Logistic, LearningRate = 0.01f, BatchSize = 24, MaxEpochs = 4,
            Tolerance = 0, Seed = 3, GradientShards = 3, SumShardsInOrder = false,
        };
        var longest = new int[3];

        var results = ThreadCollective.Run(3, c => NetworkTrainer.Train(new InMemoryRowSource(data), settings,
            new TrainingRunOptions { Collective = new LengthRecorder(c, longest) }));

        var parameters = results[0].Network.Parameters.Length;
        Assert.All(longest, length => Assert.Equal(parameters, length));
        Assert.All(results, r => Assert.Equal(ParameterBits(results[0]), ParameterBits(r)));
    }

    // The longest float vector each rank allreduces.
    private sealed class LengthRecorder(ICollective inner, int[] longest) : ICollective
    {
        public int Rank => inner.Rank;
        public int Size => inner.Size;
        public void AllReduceSum(Span<float> values)
        {
            longest[Rank] = Math.Max(longest[Rank], values.Length);
            inner.AllReduceSum(values);
        }
        public void AllReduceSum(Span<double> values) => inner.AllReduceSum(values);
        public void Broadcast(Span<byte> data, int root) => inner.Broadcast(data, root);
    }

    [Fact]
    public void Sharded_training_learns_as_well_as_one_sum_per_batch()
    {
        var data = Learnable(600, seed: 21);
        var test = Learnable(400, seed: 31);

        var plain = NetworkTrainer.Train(data, MiniBatches(shards: 1, epochs: 30));
        var sharded = OnRanks(3, data, MiniBatches(shards: 3, epochs: 30))[0];

        Assert.InRange(Accuracy(sharded, test), Accuracy(plain, test) - 0.03, 1);
        Assert.True(Accuracy(sharded, test) > 0.9, $"accuracy {Accuracy(sharded, test)}");
    }

    [Fact]
    public void Lbfgs_gives_the_same_model_on_one_two_and_three_ranks()
    {
        // More rows than L-BFGS takes at once (1024) per shard on one rank, so a shard is several chunks.
        var data = Learnable(2500);
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [8], Loss = LossKind.Logistic, Optimizer = OptimizerKind.Lbfgs, L2 = 1e-3f, MaxEpochs = 8,
            Tolerance = 0, Seed = 5, GradientShards = 6,
        };

        var alone = NetworkTrainer.Train(data, settings);
        foreach (var ranks in new[] { 2, 3 })
            Assert.All(OnRanks(ranks, data, settings), result => Assert.Equal(ParameterBits(alone), ParameterBits(result)));
    }

    [Fact]
    public void Validation_and_early_stopping_pick_the_same_epoch_on_every_rank_count()
    {
        var train = Noisy(60, 10);
        var validation = new InMemoryRowSource(Noisy(200, 20));
        var overfitting = Overfitting(maxEpochs: 500, tolerance: 1e-3f);
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = overfitting.HiddenLayerSizes, Loss = overfitting.Loss, LearningRate = overfitting.LearningRate,
            L2 = overfitting.L2, BatchSize = overfitting.BatchSize, MaxEpochs = overfitting.MaxEpochs, Tolerance = overfitting.Tolerance,
            EpochsWithoutImprovement = overfitting.EpochsWithoutImprovement, Seed = overfitting.Seed, GradientShards = 6,
        };

        var alone = NetworkTrainer.Train(new InMemoryRowSource(train), settings, new TrainingRunOptions { Validation = validation });
        // Each rank evaluates the validation rows of its own shards; the sums agree.
        var together = OnRanks(2, train, settings, c => new TrainingRunOptions { Collective = c, Validation = validation })
            .Concat(OnRanks(3, train, settings, c => new TrainingRunOptions { Collective = c, Validation = validation }));

        Assert.Equal(StopReason.NoImprovement, alone.StopReason);
        Assert.All(together, result =>
        {
            Assert.Equal(alone.BestEpoch, result.BestEpoch);
            Assert.Equal(ParameterBits(alone), ParameterBits(result));
        });
    }

    [Fact]
    public void A_run_cancelled_on_one_rank_stops_every_rank_and_resumes_from_rank_0s_checkpoint_to_the_uninterrupted_model()
    {
        var data = Learnable(150);
        var settings = MiniBatches(shards: 2, epochs: 6);
        var path = Path.Combine(_folder, "run.ckpt");
        var uninterrupted = NetworkTrainer.Train(data, settings);

        var cancel = new CancellationTokenSource();
        var stopped = OnRanks(2, data, settings, c => new TrainingRunOptions
        {
            Collective = c, CheckpointPath = path,
            Cancellation = c.Rank == 0 ? cancel.Token : default,
            OnEpoch = e => { if (e.Epoch == 3) cancel.Cancel(); }, // rank 0 alone reports epochs
        });
        Assert.All(stopped, result => Assert.Equal(StopReason.Cancelled, result.StopReason));
        Assert.True(File.Exists(path));

        var resumed = OnRanks(2, data, settings, c => new TrainingRunOptions { Collective = c, CheckpointPath = path });

        Assert.All(resumed, result => Assert.Equal(ParameterBits(uninterrupted), ParameterBits(result)));
        Assert.False(File.Exists(path), "rank 0 deletes the checkpoint once the run ends");
    }

    [Fact]
    public void Ranks_with_different_settings_fail_at_the_start_naming_the_difference()
    {
        var data = Learnable(150);

        var error = Assert.Throws<AggregateException>(() => ThreadCollective.Run(2, c => NetworkTrainer.Train(new InMemoryRowSource(data),
            MiniBatches(shards: 2, hidden: c.Rank == 0 ? [16] : [32]), new TrainingRunOptions { Collective = c })));

        var message = error.InnerException!.Message;
        Assert.Contains("rank 1 differs from rank 0", message);
        Assert.Contains("HiddenLayerSizes=[32]' where rank 0 has 'HiddenLayerSizes=[16]'", message);
    }

    [Fact]
    public void Shards_that_the_ranks_cannot_share_are_refused_with_the_setting_named()
    {
        var data = new InMemoryRowSource(Learnable(150));

        var uneven = Assert.Throws<AggregateException>(() => ThreadCollective.Run(2, c => NetworkTrainer.Train(data, MiniBatches(shards: 3), new TrainingRunOptions { Collective = c })));

        Assert.Contains("GradientShards is 3, which 2 ranks cannot share", uneven.InnerException!.Message);
    }

    [Fact]
    public void Shards_whose_gradient_slots_would_outgrow_an_array_are_refused_counting_the_inputs_the_encoding_may_add()
    {
        var data = Learnable(150);
        // Unencoded, 6 features x 200,000 units fit twice in an array; with up to 1,024 bins a feature, only once.
        var wide = MiniBatches(shards: 2, hidden: [200_000]);

        var error = Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(data, wide with { NumericEncodingBins = 1024 }));

        Assert.Equal(nameof(TrainingSettings.GradientShards), error.ParamName);
        Assert.Contains("use fewer shards", error.Message);
        Assert.True(2 * NetworkLayout.CountParameters([data.FeatureCount, 200_000, 1]) < Array.MaxLength);
        Assert.True(NetworkLayout.CountParameters([data.FeatureCount * 1025, 200_000, 1]) < Array.MaxLength);
    }

    [Fact]
    public void Dropout_with_shards_draws_each_rows_masks_from_its_position_and_still_regularizes()
    {
        var data = Learnable(150);

        var without = NetworkTrainer.Train(data, MiniBatches(shards: 2));
        var with = NetworkTrainer.Train(data, MiniBatches(shards: 2, dropout: 0.3f));
        var again = OnRanks(2, data, MiniBatches(shards: 2, dropout: 0.3f));

        Assert.NotEqual(ParameterBits(without), ParameterBits(with));
        Assert.All(again, result => Assert.Equal(ParameterBits(with), ParameterBits(result)));
    }
}
