namespace MLNetBackprop.Engine;

/// <summary>One finished epoch, reported to the progress callback and kept in the history.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainingLoss">Weighted mean training loss over the epoch's mini-batches (penalty included).</param>
/// <param name="Elapsed">Time since training started.</param>
public readonly record struct EpochReport(int Epoch, double TrainingLoss, TimeSpan Elapsed);

/// <summary>The outcome of <see cref="NetworkTrainer.Train"/>.</summary>
/// <param name="Network">The trained network.</param>
/// <param name="History">One report per epoch run.</param>
/// <param name="StoppedByTolerance">True when the tolerance rule ended training before the epoch limit.</param>
public sealed record TrainingResult(Network Network, IReadOnlyList<EpochReport> History, bool StoppedByTolerance);
