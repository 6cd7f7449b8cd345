using MLNetBackprop.Engine.Optimizers;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// The second phase of a run whose validation rows were held out of the training rows
/// (<see cref="TrainingRunOptions.AllRows"/>): once the validation set has picked the best epoch, training continues
/// from that epoch's network on every row, held-out ones included, for <see cref="EpochsAfter"/> the best epoch (a
/// quarter of its number, at least 5) at <see cref="RateFactor"/> times the rate it trained at, so that a small data set
/// does not lose the rows early stopping held out.
/// </summary>
/// <remarks>
/// A lowered rate keeps the network near the point the validation set chose while the held-out rows pull it their
/// way. A network that took long to reach its best epoch takes the new rows in over more epochs; a quarter of them
/// keeps the phase's cost a bounded share of the first phase's, unlike a refit of a fresh network, which would cost
/// about as much as the first phase (docs/benchmarks.md compares both). The rate is constant, without warm-up, and the
/// phase runs all its epochs: there is nothing left to validate on.
/// </remarks>
internal static class AllRowsPhase
{
    /// <summary>The fewest epochs of the phase: 5.</summary>
    public const int MinimumEpochs = 5;

    /// <summary>The phase's epochs as a share of the best epoch's number: 0.25.</summary>
    public const double EpochShare = 0.25;

    /// <summary>The phase's learning rate as a multiple of the best epoch's: 0.5.</summary>
    public const float RateFactor = 0.5f;

    /// <summary>
    /// Runs the second phase after <paramref name="first"/>, the finished first phase of a run with
    /// <paramref name="settings"/> and <paramref name="run"/>, and returns the whole run's result: the second phase's
    /// network, and both phases' epochs in one history, numbered on. A cancelled second phase returns the first
    /// phase's network (the best so far) with <see cref="StopReason.Cancelled"/>.
    /// </summary>
    public static TrainingResult After(TrainingResult first, TrainingSettings settings, TrainingRunOptions run)
    {
        var offset = first.History.Count;
        var elapsed = offset > 0 ? first.History[^1].Elapsed : TimeSpan.Zero;
        var epochs = EpochsAfter(first.BestEpoch);
        EpochReport InWholeRun(EpochReport e)
            => e with { Epoch = offset + e.Epoch, Elapsed = elapsed + e.Elapsed, Phase = TrainingPhase.AllRows, PhaseEnd = offset + epochs };
        var network = first.Network;
        var second = NetworkTrainer.Train(run.AllRows!, Continuation(settings, epochs, RateOf(first, settings)), new TrainingRunOptions
        {
            InitialParameters = network.Parameters.ToArray(),
            InitialScaling = network.Scaling,
            InitialEncoding = network.Encoding,
            Cancellation = run.Cancellation,
            CheckpointPath = run.CheckpointPath is { } path ? CheckpointPath(path) : null,
            CheckpointInterval = run.CheckpointInterval,
            OnEpoch = run.OnEpoch is { } onEpoch ? e => onEpoch(InWholeRun(e)) : null,
        });
        var history = first.History.Concat(second.History.Select(InWholeRun)).ToArray();
        if (second.StopReason == StopReason.Cancelled)
            return first with { History = history, StopReason = StopReason.Cancelled };
        return second with
        {
            History = history,
            StoppedByTolerance = first.StoppedByTolerance,
            StopReason = first.StopReason,
            BestEpoch = history.Length,
            ValidatedBestEpoch = first.BestEpoch,
        };
    }

    /// <summary>
    /// The phase's epochs after best epoch <paramref name="bestEpoch"/>: <see cref="EpochShare"/> of its number,
    /// rounded, and at least <see cref="MinimumEpochs"/>.
    /// </summary>
    public static int EpochsAfter(int bestEpoch)
        => Math.Max(MinimumEpochs, (int)Math.Round(bestEpoch * EpochShare, MidpointRounding.AwayFromZero));

    /// <summary>
    /// The second phase's settings: <paramref name="epochs"/> epochs, all of them run, at a constant
    /// <see cref="RateFactor"/> × <paramref name="bestRate"/>.
    /// </summary>
    public static TrainingSettings Continuation(TrainingSettings settings, int epochs, float bestRate) => settings with
    {
        MaxEpochs = epochs,
        LearningRate = RateFactor * bestRate,
        Schedule = LearningRateScheduleKind.Constant,
        WarmupEpochs = 0,
        MinimumLearningRate = 0,
        Tolerance = 0,
    };

    // The rate the best epoch trained at (the configured rate when no epoch was kept).
    private static float RateOf(TrainingResult first, TrainingSettings settings)
        => first.BestEpoch >= 1 && first.BestEpoch <= first.History.Count ? first.History[first.BestEpoch - 1].LearningRate : settings.LearningRate;

    /// <summary>The second phase's checkpoint file, next to the first phase's <paramref name="path"/>.</summary>
    public static string CheckpointPath(string path) => path + ".all-rows";
}
