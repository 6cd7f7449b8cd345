namespace MLNetBackprop.Engine.Training;

/// <summary>One finished epoch, reported to the progress callback and kept in the history.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainingLoss">Weighted mean training loss over the epoch's mini-batches (penalty included).</param>
/// <param name="Elapsed">Time since training started (resumed runs continue the clock of the checkpoint).</param>
internal readonly record struct EpochReport(int Epoch, double TrainingLoss, TimeSpan Elapsed)
{
    /// <summary>Weighted mean loss on the validation set after the epoch (no penalty), or null without one.</summary>
    public double? ValidationLoss { get; init; }
    /// <summary>Weighted accuracy on the validation set for classification losses, or null.</summary>
    public double? ValidationAccuracy { get; init; }
    /// <summary>The learning rate the epoch used.</summary>
    public float LearningRate { get; init; }
    /// <summary>Training rows processed per second during the epoch.</summary>
    public double SamplesPerSecond { get; init; }
    /// <summary>The phase of training the epoch belongs to.</summary>
    public TrainingPhase Phase { get; init; }
    /// <summary>In the second phase, the number its last epoch will have (the run's epoch limit from then on); otherwise 0.</summary>
    public int PhaseEnd { get; init; }
}
