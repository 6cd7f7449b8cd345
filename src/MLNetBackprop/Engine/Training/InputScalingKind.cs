namespace MLNetBackprop.Engine.Training;

/// <summary>What training fits as the network's own input preprocessing (see <see cref="Model.InputScaling"/>).</summary>
internal enum InputScalingKind
{
    /// <summary>The rows enter the first layer as they are.</summary>
    None,

    /// <summary>Robust scaling and smooth clipping fitted on the training rows (<see cref="InputScalingFitter"/>).</summary>
    Robust,
}
