using MLNetBackprop.Engine.Training;

namespace MLNetBackprop;

/// <summary>One finished training epoch, as reported to <see cref="MlpOptionsBase.Progress"/> and kept in the model's history.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainingLoss">
/// Mean training loss over the epoch's mini-batches, with the L2 penalty (regression: in standardized label units).
/// </param>
/// <param name="ValidationLoss">Mean loss on the validation set after the epoch, without penalty; null without a validation set.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation set (classification); null otherwise.</param>
/// <param name="LearningRate">The learning rate the epoch used.</param>
/// <param name="SamplesPerSecond">Training rows processed per second (0 in models saved before history was timed).</param>
/// <param name="Elapsed">Time since training started.</param>
public sealed record MlpEpochReport(int Epoch, double TrainingLoss, double? ValidationLoss, double? ValidationAccuracy,
    float LearningRate, double SamplesPerSecond, TimeSpan Elapsed)
{
    /// <summary>
    /// The most epochs this run may take (<see cref="MlpOptionsBase.NumberOfEpochs"/>, or the automatic limit); training
    /// may stop earlier. In the phase on all rows (<see cref="Phase"/>), the number its last epoch will have. For
    /// progress bars and time estimates.
    /// </summary>
    public int EpochLimit { get; init; }

    /// <summary>
    /// The phase of training the epoch belongs to: <see cref="MlpTrainingPhase.Main"/>, or
    /// <see cref="MlpTrainingPhase.AllRows"/> for the epochs on every row that follow it (see
    /// <see cref="MlpOptionsBase.TrainOnHeldOutRows"/>).
    /// </summary>
    public MlpTrainingPhase Phase { get; init; }

    /// <summary>The public report of an engine epoch of a run limited to <paramref name="epochLimit"/> epochs.</summary>
    internal static MlpEpochReport FromEngine(EpochReport e, int epochLimit)
        => new(e.Epoch, e.TrainingLoss, e.ValidationLoss, e.ValidationAccuracy, e.LearningRate, e.SamplesPerSecond, e.Elapsed)
        {
            // The epochs on all rows end where their phase ends, which may lie beyond the first phase's limit.
            EpochLimit = e.Phase == TrainingPhase.AllRows && e.PhaseEnd > 0 ? e.PhaseEnd : epochLimit,
            Phase = e.Phase == TrainingPhase.AllRows ? MlpTrainingPhase.AllRows : MlpTrainingPhase.Main,
        };

    /// <summary>This report as the engine's epoch report (without the limit, which a history stores once).</summary>
    internal EpochReport ToEngine()
        => new(Epoch, TrainingLoss, Elapsed)
        {
            ValidationLoss = ValidationLoss,
            ValidationAccuracy = ValidationAccuracy,
            LearningRate = LearningRate,
            SamplesPerSecond = SamplesPerSecond,
            Phase = Phase == MlpTrainingPhase.AllRows ? TrainingPhase.AllRows : TrainingPhase.Main,
        };

    /// <summary>The report as one log line.</summary>
    public override string ToString()
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var text = new System.Text.StringBuilder();
        text.Append(c, $"Epoch {Epoch}{(Phase == MlpTrainingPhase.AllRows ? " (all rows)" : "")}: training loss {TrainingLoss:G6}");
        if (ValidationLoss is { } v)
            text.Append(c, $", validation loss {v:G6}");
        if (ValidationAccuracy is { } a)
            text.Append(c, $", validation accuracy {a:G4}");
        text.Append(c, $", learning rate {LearningRate:G4}, {SamplesPerSecond:F0} rows/s ({Elapsed.TotalSeconds:F2} s).");
        return text.ToString();
    }
}
