namespace MLNetBackprop;

/// <summary>How the learning rate changes over the epochs of an MLP trainer.</summary>
public enum MlpLearningRateSchedule
{
    /// <summary>The learning rate every epoch. The default.</summary>
    Constant = 0,
    /// <summary>LearningRate / eᵖ at epoch e, p = <c>InverseScalingPower</c> (scikit-learn's <c>invscaling</c>, per epoch).</summary>
    InverseScaling = 1,
    /// <summary>Multiplied by <c>LearningRateDecayFactor</c> every <c>LearningRateStepEpochs</c> epochs.</summary>
    StepDecay = 2,
    /// <summary>Cosine annealing from the learning rate down to <c>MinimumLearningRate</c> over the epochs (after any warm-up).</summary>
    Cosine = 3,
    /// <summary>
    /// Multiplied by <c>LearningRateDecayFactor</c> (not below <c>MinimumLearningRate</c>) whenever the watched value
    /// (validation metric, else training loss) has not improved by <c>Tolerance</c> for <c>PlateauPatience</c> epochs.
    /// </summary>
    ReduceOnPlateau = 4,
}
