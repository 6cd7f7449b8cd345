using MLNetBackprop.Engine.Optimizers;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// The second phase of a run whose validation rows were held out of the training rows
/// (<see cref="TrainingRunOptions.AllRows"/>): once the validation set has picked the best epoch, training continues
/// from that epoch's network on every row, held-out ones included, for <see cref="Epochs"/> epochs at
/// <see cref="RateFactor"/> times the rate the best epoch trained at, so that a small data set does not lose the rows
/// early stopping held out.
/// </summary>
/// <remarks>
/// A lowered rate keeps the network near the point the validation set chose while the held-out rows pull it their
/// way; a fixed epoch count keeps the phase's cost bounded, unlike a refit of a fresh network, which would cost about
/// as much as the first phase (docs/benchmarks.md compares both). The rate is constant, without warm-up, and the phase
/// runs all its epochs: there is nothing left to validate on.
/// </remarks>
internal static class AllRowsPhase
{
    /// <summary>Epochs on every row after the best epoch: 5.</summary>
    public const int Epochs = 5;

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
        EpochReport InWholeRun(EpochReport e)
            => e with { Epoch = offset + e.Epoch, Elapsed = elapsed + e.Elapsed, Phase = TrainingPhase.AllRows, PhaseEnd = offset + Epochs };
        var network = first.Network;
        var second = NetworkTrainer.Train(run.AllRows!, Continuation(settings, RateOf(first, settings)), new TrainingRunOptions
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
    /// The second phase's settings: <see cref="Epochs"/> epochs, all of them run, at a constant
    /// <see cref="RateFactor"/> × <paramref name="bestRate"/>.
    /// </summary>
    public static TrainingSettings Continuation(TrainingSettings settings, float bestRate) => settings with
    {
        MaxEpochs = Epochs,
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
