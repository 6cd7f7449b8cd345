namespace MLNetBackprop.Engine.Training;

/// <summary>What training fits as the network's own input preprocessing (see <see cref="Model.InputScaling"/>).</summary>
internal enum InputScalingKind
{
    /// <summary>The rows enter the first layer as they are.</summary>
    None,

    /// <summary>Robust scaling and smooth clipping fitted on the training rows (<see cref="InputScalingFitter"/>).</summary>
    Robust,

    /// <summary>
    /// <see cref="Robust"/> when some feature value of the training rows lies outside [−1, 1] (raw numbers among one-hot
    /// columns); rows within it (text, one-hot, normalized features) enter as they are.
    /// </summary>
    RobustOutsideUnitRange,
}
