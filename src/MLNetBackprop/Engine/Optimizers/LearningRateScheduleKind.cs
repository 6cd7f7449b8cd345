namespace MLNetBackprop.Engine.Optimizers;

/// <summary>How the learning rate changes from epoch to epoch (see <see cref="LearningRateSchedule"/>).</summary>
internal enum LearningRateScheduleKind
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
