namespace MLNetBackprop.Engine;

/// <summary>
/// Everything the engine's training loop needs. The ML.NET bridge validates user options and maps them here;
/// the engine re-checks only what would otherwise fail deep inside a kernel.
/// </summary>
public sealed class TrainingSettings
{
    /// <summary>Widths of the hidden layers. Default: one layer of 100.</summary>
    public int[] HiddenLayerSizes { get; init; } = [100];
    /// <summary>Hidden activation. Default: ReLU.</summary>
    public ActivationKind HiddenActivation { get; init; } = ActivationKind.Relu;
    /// <summary>Loss on the raw outputs.</summary>
    public LossKind Loss { get; init; } = LossKind.SquaredError;
    /// <summary>Number of outputs: classes for softmax, 1 otherwise.</summary>
    public int OutputCount { get; init; } = 1;
    /// <summary>Threshold δ of the Huber loss. Default 1.</summary>
    public float HuberDelta { get; init; } = 1f;
    /// <summary>Optimizer. Default: Adam.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    /// <summary>Step size. Default 1e-3.</summary>
    public float LearningRate { get; init; } = 1e-3f;
    /// <summary>SGD momentum in [0, 1). Default 0.9.</summary>
    public float Momentum { get; init; } = 0.9f;
    /// <summary>Use Nesterov momentum with SGD. Default true.</summary>
    public bool Nesterov { get; init; } = true;
    /// <summary>Adam's first-moment decay in [0, 1). Default 0.9.</summary>
    public float Beta1 { get; init; } = 0.9f;
    /// <summary>Adam's second-moment decay in [0, 1). Default 0.999.</summary>
    public float Beta2 { get; init; } = 0.999f;
    /// <summary>Adam's denominator guard. Default 1e-8.</summary>
    public float Epsilon { get; init; } = 1e-8f;
    /// <summary>L2 penalty on weights (not biases), scaled per mini-batch as in scikit-learn. Default 1e-4.</summary>
    public float L2 { get; init; } = 1e-4f;
    /// <summary>Rows per mini-batch (capped at the row count). Default 200.</summary>
    public int BatchSize { get; init; } = 200;
    /// <summary>Maximum passes over the data. Default 200.</summary>
    public int MaxEpochs { get; init; } = 200;
    /// <summary>
    /// Stop when the epoch's training loss has not improved on the best by at least this much for
    /// <see cref="EpochsWithoutImprovement"/> epochs. 0 disables the rule. Default 1e-4.
    /// </summary>
    public float Tolerance { get; init; } = 1e-4f;
    /// <summary>Patience of the tolerance rule. Default 10.</summary>
    public int EpochsWithoutImprovement { get; init; } = 10;
    /// <summary>Shuffle rows each epoch with the seeded generator. Default true.</summary>
    public bool Shuffle { get; init; } = true;
    /// <summary>Seed for initialisation and shuffling.</summary>
    public int Seed { get; init; }
}
