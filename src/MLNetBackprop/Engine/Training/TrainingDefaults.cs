namespace MLNetBackprop.Engine.Training;

/// <summary>
/// The one source of the default training values. They live in the engine because the engine must not depend on
/// the ML.NET bridge, yet <see cref="TrainingSettings"/> keeps usable defaults for direct engine use; the bridge's
/// public <c>MlpOptionsBase.Defaults</c> names these same constants for users, the catalog and the command line.
/// </summary>
internal static class TrainingDefaults
{
    public const int HiddenLayerSize = 100;
    public const float LearningRate = 1e-3f;
    public const float Momentum = 0.9f;
    public const bool Nesterov = true;
    public const float Beta1 = 0.9f;
    public const float Beta2 = 0.999f;
    public const float Epsilon = 1e-8f;
    public const float L2 = 1e-4f;
    public const int BatchSize = 200;
    public const int Epochs = 200;
    public const float Tolerance = 1e-4f;
    public const int EpochsWithoutImprovement = 10;
    public const bool Shuffle = true;
    public const float RmsPropDecay = 0.9f;
    public const float HuberDelta = 1f;
    public const float InverseScalingPower = 0.5f;
    public const float DecayFactor = 0.1f;
    public const int DecayStepEpochs = 10;
    public const int PlateauPatience = 5;
    public const int LbfgsHistorySize = 10;
}
