namespace MLNetBackprop.Engine;

/// <summary>How the learning rate changes from epoch to epoch (see <see cref="LearningRateSchedule"/>).</summary>
public enum LearningRateScheduleKind
{
    /// <summary>η every epoch.</summary>
    Constant = 0,
    /// <summary>η / sᵖ at schedule epoch s (scikit-learn's <c>invscaling</c>, counted in epochs).</summary>
    InverseScaling = 1,
    /// <summary>η·γ^⌊(s − 1)/k⌋: multiplied by γ every k epochs.</summary>
    StepDecay = 2,
    /// <summary>Cosine annealing from η down towards the minimum rate over the remaining epochs.</summary>
    Cosine = 3,
    /// <summary>Multiplied by γ whenever the monitored value has not improved for the plateau patience.</summary>
    ReduceOnPlateau = 4,
}

/// <summary>What early stopping and reduce-on-plateau watch on the validation set.</summary>
public enum StoppingMetric
{
    /// <summary>The validation loss (lower is better; no regularisation penalty).</summary>
    Loss = 0,
    /// <summary>The (weighted) fraction of validation rows classified correctly (higher is better).</summary>
    Accuracy = 1,
}

/// <summary>Why training ended.</summary>
public enum StopReason
{
    /// <summary>All epochs ran.</summary>
    EpochLimit = 0,
    /// <summary>The monitored value stopped improving by the tolerance for the patience.</summary>
    NoImprovement = 1,
    /// <summary>The cancellation token was signalled.</summary>
    Cancelled = 2,
    /// <summary>L-BFGS found no descent step any more (the gradient vanished or the line search failed).</summary>
    Converged = 3,
}
