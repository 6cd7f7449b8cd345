using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Model;

namespace MLNetBackprop.Engine.Training;

/// <summary>The outcome of <see cref="NetworkTrainer.Train(TrainingSet, TrainingSettings, TrainingRunOptions)"/>.</summary>
/// <param name="Network">The trained network: the best epoch's parameters when a validation set was given.</param>
/// <param name="History">One report per epoch run (including those before a resumed checkpoint).</param>
/// <param name="StoppedByTolerance">True when the tolerance rule ended training before the epoch limit.</param>
internal sealed record TrainingResult(Network Network, IReadOnlyList<EpochReport> History, bool StoppedByTolerance)
{
    /// <summary>Why training ended.</summary>
    public StopReason StopReason { get; init; }
    /// <summary>
    /// The epoch whose parameters <see cref="Network"/> holds: the best validation epoch with a validation set,
    /// otherwise the last epoch completed (0 if cancelled during the first).
    /// </summary>
    public int BestEpoch { get; init; }
    /// <summary>
    /// The best validation epoch of the first phase when a second phase on all rows followed it and finished
    /// (<see cref="TrainingRunOptions.AllRows"/>); otherwise null.
    /// </summary>
    public int? ValidatedBestEpoch { get; init; }
}
