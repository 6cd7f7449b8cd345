namespace MLNetBackprop.Engine.Training;

/// <summary>
/// The second phase of a run whose validation rows were held out of the training rows
/// (<see cref="TrainingRunOptions.AllRows"/>): once the validation set has picked the best epoch, a fresh network (same
/// seed) trains on every row for as many mini-batch updates as the best epoch had taken, so that a small data set does
/// not lose the rows early stopping held out.
/// </summary>
/// <remarks>
/// The updates, not the epochs, carry over: an epoch over every row is longer than one over the kept rows, and
/// training on every row for the best epoch's count of epochs took more updates for no better model on the tabular
/// suite (docs/benchmarks.md), at more cost.
/// </remarks>
internal static class AllRowsPhase
{
    /// <summary>
    /// Runs the second phase after <paramref name="first"/>, the finished first phase of a run with
    /// <paramref name="settings"/> and <paramref name="run"/>, and returns the whole run's result: the second phase's
    /// network, and both phases' epochs in one history, numbered on. A cancelled second phase returns the first
    /// phase's network (the best so far) with <see cref="StopReason.Cancelled"/>.
    /// </summary>
    public static TrainingResult After(TrainingResult first, TrainingSettings settings, TrainingRunOptions run)
    {
        var all = run.AllRows!;
        var offset = first.History.Count;
        var elapsed = offset > 0 ? first.History[^1].Elapsed : TimeSpan.Zero;
        var epochs = Epochs(first.BestEpoch, all.RowCount - run.Validation!.RowCount, all.RowCount);
        EpochReport InWholeRun(EpochReport e)
            => e with { Epoch = offset + e.Epoch, Elapsed = elapsed + e.Elapsed, Phase = TrainingPhase.AllRows, PhaseEnd = offset + epochs };
        var second = NetworkTrainer.Train(all, settings with { MaxEpochs = epochs }, new TrainingRunOptions
        {
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
    /// Epochs over <paramref name="allRows"/> rows that take about the updates <paramref name="bestEpoch"/> epochs over
    /// <paramref name="keptRows"/> rows took (the rounded count, at least 1).
    /// </summary>
    public static int Epochs(int bestEpoch, long keptRows, long allRows)
        => Math.Max(1, (int)Math.Round(Math.Max(1, bestEpoch) * (double)keptRows / allRows, MidpointRounding.AwayFromZero));

    /// <summary>The second phase's checkpoint file, next to the first phase's <paramref name="path"/>.</summary>
    public static string CheckpointPath(string path) => path + ".all-rows";
}
