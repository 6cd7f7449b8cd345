using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Optimizers;


namespace MLNetBackprop.Engine.Training;

/// <summary>
/// Everything the engine's training loop needs. The ML.NET bridge validates user options and maps them here;
/// the engine re-checks only what would otherwise fail deep inside a kernel.
/// </summary>
internal sealed class TrainingSettings
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

    /// <summary>RMSprop's decay rate ρ of the mean square, in [0, 1). Default 0.9.</summary>
    public float RmsPropDecay { get; init; } = 0.9f;
    /// <summary>
    /// Decoupled weight decay λ (Loshchilov and Hutter): before each update the weights (not the biases) shrink by
    /// the factor 1 − η_t·λ, where η_t is the scheduled learning rate. Adam with weight decay is AdamW. Default 0.
    /// </summary>
    public float WeightDecay { get; init; }
    /// <summary>Rescale each mini-batch gradient whose global L2 norm exceeds this value to that norm. 0 (the default) disables clipping.</summary>
    public float GradientClipNorm { get; init; }
    /// <summary>
    /// Dropout probability per hidden layer, input side first: empty (the default) for none, one value for every
    /// hidden layer, or one value per hidden layer; each in [0, 1). Inverted dropout: kept units are scaled by
    /// 1/(1 − p) during training, so prediction uses the weights as they are.
    /// </summary>
    public float[] DropoutRates { get; init; } = [];
    /// <summary>Learning-rate schedule over epochs. Default constant.</summary>
    public LearningRateScheduleKind Schedule { get; init; } = LearningRateScheduleKind.Constant;
    /// <summary>Exponent p of <see cref="LearningRateScheduleKind.InverseScaling"/>: η/eᵖ at epoch e. Default 0.5.</summary>
    public float InverseScalingPower { get; init; } = 0.5f;
    /// <summary>Factor γ in (0, 1) by which step decay and reduce-on-plateau multiply the rate. Default 0.1.</summary>
    public float DecayFactor { get; init; } = 0.1f;
    /// <summary>Epochs between reductions of <see cref="LearningRateScheduleKind.StepDecay"/>. Default 10.</summary>
    public int DecayStepEpochs { get; init; } = 10;
    /// <summary>Epochs without improvement of the monitored value before reduce-on-plateau lowers the rate. Default 5.</summary>
    public int PlateauPatience { get; init; } = 5;
    /// <summary>Lower bound of cosine annealing and reduce-on-plateau, in [0, LearningRate]. Default 0.</summary>
    public float MinimumLearningRate { get; init; }
    /// <summary>
    /// Epochs W of linear warm-up before the schedule starts: epoch e ≤ W uses η·e/(W + 1), and the schedule then
    /// counts its epochs from W + 1. Default 0.
    /// </summary>
    public int WarmupEpochs { get; init; }
    /// <summary>
    /// What early stopping and reduce-on-plateau watch when a validation set is given: the validation loss (the
    /// default) or the validation accuracy (classification losses only).
    /// </summary>
    public StoppingMetric StoppingMetric { get; init; } = StoppingMetric.Loss;
    /// <summary>Number of correction pairs L-BFGS keeps. Default 10.</summary>
    public int LbfgsHistorySize { get; init; } = 10;
}
