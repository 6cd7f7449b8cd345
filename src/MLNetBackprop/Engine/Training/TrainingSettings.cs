using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Optimizers;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// Everything the engine's training loop needs. The ML.NET bridge validates user options and maps them here;
/// the engine re-checks only what would otherwise fail deep inside a kernel. Defaults come from <see cref="TrainingDefaults"/>.
/// </summary>
internal sealed record TrainingSettings
{
    /// <summary>Widths of the hidden layers. Default in <see cref="TrainingDefaults"/>.</summary>
    public int[] HiddenLayerSizes { get; init; } = [TrainingDefaults.HiddenLayerSize];
    /// <summary>Hidden activation. Default: ReLU.</summary>
    public ActivationKind HiddenActivation { get; init; } = ActivationKind.Relu;
    /// <summary>Loss on the raw outputs.</summary>
    public LossKind Loss { get; init; } = LossKind.SquaredError;
    /// <summary>Number of outputs: classes for softmax, 1 otherwise.</summary>
    public int OutputCount { get; init; } = 1;
    /// <summary>Threshold δ of the Huber loss. Default in <see cref="TrainingDefaults"/>.</summary>
    public float HuberDelta { get; init; } = TrainingDefaults.HuberDelta;
    /// <summary>Optimizer. Default: Adam.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    /// <summary>Step size. Default in <see cref="TrainingDefaults"/>.</summary>
    public float LearningRate { get; init; } = TrainingDefaults.LearningRate;
    /// <summary>SGD momentum in [0, 1). Default in <see cref="TrainingDefaults"/>.</summary>
    public float Momentum { get; init; } = TrainingDefaults.Momentum;
    /// <summary>Use Nesterov momentum with SGD. Default in <see cref="TrainingDefaults"/>.</summary>
    public bool Nesterov { get; init; } = TrainingDefaults.Nesterov;
    /// <summary>Adam's first-moment decay in [0, 1). Default in <see cref="TrainingDefaults"/>.</summary>
    public float Beta1 { get; init; } = TrainingDefaults.Beta1;
    /// <summary>Adam's second-moment decay in [0, 1). Default in <see cref="TrainingDefaults"/>.</summary>
    public float Beta2 { get; init; } = TrainingDefaults.Beta2;
    /// <summary>Adam's denominator guard. Default in <see cref="TrainingDefaults"/>.</summary>
    public float Epsilon { get; init; } = TrainingDefaults.Epsilon;
    /// <summary>L2 penalty on weights (not biases), scaled per mini-batch as in scikit-learn. Default in <see cref="TrainingDefaults"/>.</summary>
    public float L2 { get; init; } = TrainingDefaults.L2;
    /// <summary>Rows per mini-batch (capped at the row count). Default in <see cref="TrainingDefaults"/>.</summary>
    public int BatchSize { get; init; } = TrainingDefaults.BatchSize;
    /// <summary>Maximum passes over the data. Default in <see cref="TrainingDefaults"/>.</summary>
    public int MaxEpochs { get; init; } = TrainingDefaults.Epochs;
    /// <summary>
    /// Stop when the epoch's training loss has not improved on the best by at least this much for
    /// <see cref="EpochsWithoutImprovement"/> epochs. 0 disables the rule. Default in <see cref="TrainingDefaults"/>.
    /// </summary>
    public float Tolerance { get; init; } = TrainingDefaults.Tolerance;
    /// <summary>Patience of the tolerance rule. Default in <see cref="TrainingDefaults"/>.</summary>
    public int EpochsWithoutImprovement { get; init; } = TrainingDefaults.EpochsWithoutImprovement;
    /// <summary>Shuffle rows each epoch with the seeded generator. Default in <see cref="TrainingDefaults"/>.</summary>
    public bool Shuffle { get; init; } = TrainingDefaults.Shuffle;
    /// <summary>Seed for initialisation and shuffling.</summary>
    public int Seed { get; init; }

    /// <summary>RMSprop's decay rate ρ of the mean square, in [0, 1). Default in <see cref="TrainingDefaults"/>.</summary>
    public float RmsPropDecay { get; init; } = TrainingDefaults.RmsPropDecay;
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
    /// <summary>Exponent p of <see cref="LearningRateScheduleKind.InverseScaling"/>: η/eᵖ at epoch e. Default in <see cref="TrainingDefaults"/>.</summary>
    public float InverseScalingPower { get; init; } = TrainingDefaults.InverseScalingPower;
    /// <summary>Factor γ in (0, 1) by which step decay and reduce-on-plateau multiply the rate. Default in <see cref="TrainingDefaults"/>.</summary>
    public float DecayFactor { get; init; } = TrainingDefaults.DecayFactor;
    /// <summary>Epochs between reductions of <see cref="LearningRateScheduleKind.StepDecay"/>. Default in <see cref="TrainingDefaults"/>.</summary>
    public int DecayStepEpochs { get; init; } = TrainingDefaults.DecayStepEpochs;
    /// <summary>Epochs without improvement of the monitored value before reduce-on-plateau lowers the rate. Default in <see cref="TrainingDefaults"/>.</summary>
    public int PlateauPatience { get; init; } = TrainingDefaults.PlateauPatience;
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
    /// <summary>
    /// How a mini-batch of sparse rows updates the first-layer weights of features it does not use. Default
    /// <see cref="SparseUpdate.Lazy"/>. Dense rows, and L-BFGS, always update every parameter.
    /// </summary>
    public SparseUpdate SparseUpdate { get; init; } = SparseUpdate.Lazy;
    /// <summary>
    /// The network's own input preprocessing, fitted on the training rows at the start of the run (or taken from a
    /// warm start) and kept with the network. Default <see cref="InputScalingKind.None"/>.
    /// </summary>
    public InputScalingKind InputScaling { get; init; }
    /// <summary>
    /// Bins per feature of the network's own <see cref="Model.PiecewiseLinearEncoding"/> of numeric features, fitted on
    /// the training rows before the <see cref="InputScaling"/> (which then scales the encoded rows): 0 (the default) for
    /// none, else 2 to <see cref="MaxNumericEncodingBins"/>. Needs dense rows.
    /// </summary>
    public int NumericEncodingBins { get; init; }
    /// <summary>
    /// The most inputs the numeric encoding may add: when the fitted encoding would add more, the features enter
    /// unencoded. Default <see cref="int.MaxValue"/>.
    /// </summary>
    public int NumericEncodingInputLimit { get; init; } = int.MaxValue;
    /// <summary>The largest <see cref="NumericEncodingBins"/>.</summary>
    public const int MaxNumericEncodingBins = 1024;
    /// <summary>Number of correction pairs L-BFGS keeps. Default in <see cref="TrainingDefaults"/>.</summary>
    public int LbfgsHistorySize { get; init; } = TrainingDefaults.LbfgsHistorySize;
    /// <summary>
    /// Number of gradient shards each global batch is summed from (see <see cref="Collective.ShardPlan"/>), at least 1
    /// and a multiple of the number of ranks. Default 1: the batch's gradient in one sum.
    /// </summary>
    public int GradientShards { get; init; } = 1;
    /// <summary>
    /// Whether the shards' gradients are summed in shard order on every rank, so that the model depends on
    /// <see cref="GradientShards"/> and not on the number of ranks, at the cost of an allreduce of
    /// <see cref="GradientShards"/> × the parameters (two shards on two ranks need no more than the parameters).
    /// Otherwise each rank adds up its own shards and one allreduce of the parameters sums the ranks in the
    /// collective's order: as fast as data parallelism gets, and the model depends on the number of ranks. Mini-batch
    /// optimizers only: L-BFGS always sums in shard order. Default true.
    /// </summary>
    public bool SumShardsInOrder { get; init; } = true;
}
