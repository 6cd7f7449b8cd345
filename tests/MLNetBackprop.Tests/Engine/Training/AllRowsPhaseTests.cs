using MLNetBackprop.Engine.Collective;
using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.RowSources;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;
using static MLNetBackprop.Tests.TestSupport.TrainingRuns;

namespace MLNetBackprop.Tests.Engine.Training;

/// <summary>
/// The second phase on every row after a validation set held out of them picked the best epoch: what it trains, how
/// the history marks it, determinism, and checkpoints taken during it.
/// </summary>
public class AllRowsPhaseTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-all-rows-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // 100 noisy rows, the last 25 held out: the validation loss turns up early, so the best epoch is well before the end.
    private static readonly TrainingSet All = Noisy(100, 10);
    private static readonly TrainingSet Kept = All.Subset(Enumerable.Range(0, 100).Select(r => r < 75).ToArray());
    private static readonly TrainingSet HeldOut = All.Subset(Enumerable.Range(0, 100).Select(r => r >= 75).ToArray());

    private static TrainingRunOptions WithAllRows(Action<EpochReport>? onEpoch = null, string? checkpoint = null, CancellationToken cancel = default) => new()
    {
        Validation = new InMemoryRowSource(HeldOut),
        AllRows = new InMemoryRowSource(All),
        OnEpoch = onEpoch,
        CheckpointPath = checkpoint,
        CheckpointInterval = 2,
        Cancellation = cancel,
    };

    private static TrainingSettings Settings => Overfitting(maxEpochs: 80, tolerance: 1e-3f);

    [Fact]
    public void The_second_phase_equals_a_warm_start_from_the_best_epoch_on_all_rows_at_the_lowered_rate_bit_for_bit()
    {
        var validatedOnly = NetworkTrainer.Train(Kept, Settings, new TrainingRunOptions { Validation = new InMemoryRowSource(HeldOut) });
        var result = NetworkTrainer.Train(Kept, Settings, WithAllRows());
        var best = validatedOnly.Network;
        var byHand = NetworkTrainer.Train(All, Settings with { MaxEpochs = AllRowsPhase.EpochsAfter(validatedOnly.BestEpoch), LearningRate = 0.5f * Settings.LearningRate, Tolerance = 0 },
            new TrainingRunOptions { InitialParameters = best.Parameters.ToArray(), InitialScaling = best.Scaling, InitialEncoding = best.Encoding });

        Assert.True(validatedOnly.BestEpoch < validatedOnly.History.Count, "the validation set should pick an epoch before the last");
        Assert.Equal(validatedOnly.BestEpoch, result.ValidatedBestEpoch);
        Assert.Equal(Bits(byHand.Network.Parameters.ToArray()), Bits(result.Network.Parameters.ToArray()));
        Assert.Equal(best.Scaling?.Centers.ToArray(), result.Network.Scaling?.Centers.ToArray());
    }

    [Fact]
    public void The_second_phase_trains_at_half_the_rate_the_best_epoch_trained_at()
    {
        var decaying = Settings with { Schedule = LearningRateScheduleKind.StepDecay, DecayStepEpochs = 2, DecayFactor = 0.5f };
        var result = NetworkTrainer.Train(Kept, decaying, WithAllRows());
        var bestRate = result.History[result.ValidatedBestEpoch!.Value - 1].LearningRate;

        Assert.All(result.History.Where(e => e.Phase == TrainingPhase.AllRows), e => Assert.Equal(0.5f * bestRate, e.LearningRate));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(20, 5)]
    [InlineData(21, 5)]
    [InlineData(22, 6)] // 5.5 rounds up
    [InlineData(40, 10)]
    [InlineData(161, 40)]
    public void The_phase_lasts_a_quarter_of_the_best_epochs_number_and_at_least_five_epochs(int bestEpoch, int epochs)
        => Assert.Equal(epochs, AllRowsPhase.EpochsAfter(bestEpoch));

    [Fact]
    public void The_history_numbers_the_epochs_on_all_rows_after_the_first_phase_and_marks_their_phase()
    {
        var reported = new List<EpochReport>();
        var result = NetworkTrainer.Train(Kept, Settings, WithAllRows(reported.Add));
        var first = result.History.Count(e => e.Phase == TrainingPhase.Main);

        Assert.Equal(Enumerable.Range(1, result.History.Count), result.History.Select(e => e.Epoch));
        Assert.Equal(result.History.Select(e => (e.Epoch, e.Phase)), reported.Select(e => (e.Epoch, e.Phase)));
        Assert.Equal(AllRowsPhase.EpochsAfter(result.ValidatedBestEpoch!.Value), result.History.Count - first);
        Assert.All(result.History.Take(first), e => Assert.NotNull(e.ValidationLoss));
        Assert.All(result.History.Skip(first), e => Assert.Equal((TrainingPhase.AllRows, (double?)null), (e.Phase, e.ValidationLoss)));
        Assert.Equal(result.History.Count, result.BestEpoch);
        Assert.True(result.History[^1].Elapsed >= result.History[first - 1].Elapsed);
    }

    [Fact]
    public void Without_a_validation_set_there_is_no_second_phase()
    {
        var plain = NetworkTrainer.Train(All, Settings);
        var result = NetworkTrainer.Train(All, Settings, new TrainingRunOptions { AllRows = new InMemoryRowSource(All) });
        Assert.Equal(Bits(plain.Network.Parameters.ToArray()), Bits(result.Network.Parameters.ToArray()));
        Assert.All(result.History, e => Assert.Equal(TrainingPhase.Main, e.Phase));
        Assert.Null(result.ValidatedBestEpoch);
    }

    [Fact]
    public void The_two_phases_give_the_same_model_on_one_kernel_thread_and_on_four()
    {
        float[] Train(int threads)
        {
            using var scope = new ThreadCountScope(threads);
            return NetworkTrainer.Train(Kept, Settings, WithAllRows()).Network.Parameters.ToArray();
        }
        Assert.Equal(Bits(Train(1)), Bits(Train(4)));
    }

    [Fact]
    public void Resuming_a_run_cancelled_on_all_rows_gives_the_uninterrupted_model_bit_for_bit()
    {
        var uninterrupted = NetworkTrainer.Train(Kept, Settings, WithAllRows());
        var cancelAt = uninterrupted.History.Count(e => e.Phase == TrainingPhase.Main) + 3;
        var path = Path.Combine(_folder, "run.ckpt");
        using var cancel = new CancellationTokenSource();
        var interrupted = NetworkTrainer.Train(Kept, Settings, WithAllRows(e => { if (e.Epoch == cancelAt) cancel.Cancel(); }, path, cancel.Token));

        // Cancelled on all rows, the run returns the first phase's best network, and keeps both phases' checkpoints.
        var validatedOnly = NetworkTrainer.Train(Kept, Settings, new TrainingRunOptions { Validation = new InMemoryRowSource(HeldOut) });
        Assert.Equal(StopReason.Cancelled, interrupted.StopReason);
        Assert.Equal(Bits(validatedOnly.Network.Parameters.ToArray()), Bits(interrupted.Network.Parameters.ToArray()));
        Assert.True(File.Exists(path) && File.Exists(AllRowsPhase.CheckpointPath(path)));

        var resumed = NetworkTrainer.Train(Kept, Settings, WithAllRows(checkpoint: path));
        Assert.Equal(Bits(uninterrupted.Network.Parameters.ToArray()), Bits(resumed.Network.Parameters.ToArray()));
        Assert.Equal(uninterrupted.History.Select(e => (e.Epoch, e.Phase, e.TrainingLoss)), resumed.History.Select(e => (e.Epoch, e.Phase, e.TrainingLoss)));
        Assert.False(File.Exists(path) || File.Exists(AllRowsPhase.CheckpointPath(path)), "a completed run removes both checkpoints");
    }

    [Fact]
    public void A_second_phase_on_a_cluster_or_with_L_BFGS_is_refused()
    {
        var cluster = Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(Kept, Settings, new TrainingRunOptions
        {
            Validation = new InMemoryRowSource(HeldOut), AllRows = new InMemoryRowSource(All), Collective = new TwoRanks(),
        }));
        Assert.Contains("one process", cluster.Message);
        var lbfgs = Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(Kept, Settings with { Optimizer = OptimizerKind.Lbfgs, BatchSize = 100 }, WithAllRows()));
        Assert.Contains("L-BFGS", lbfgs.Message);
    }

    // A collective that says it has two ranks; the check refuses the run before any call.
    private sealed class TwoRanks : ICollective
    {
        public int Rank => 0;
        public int Size => 2;
        public void AllReduceSum(Span<float> values) => throw new InvalidOperationException("not reached");
        public void AllReduceSum(Span<double> values) => throw new InvalidOperationException("not reached");
        public void Broadcast(Span<byte> data, int root) => throw new InvalidOperationException("not reached");
    }
}
