using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.RowSources;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.MLNet;

/// <summary>
/// Maps validated options to the engine's training settings, and each public option enum to the engine's enum by an
/// explicit switch (never a cast), so that reordering either enum cannot silently change a model.
/// </summary>
internal static class MlpOptionsMapping
{
    /// <summary>
    /// <paramref name="options"/> as the engine's training settings for <paramref name="rows"/> (whose storage decides
    /// the automatic options), for a loss, output count, epoch limit and seed the trainer decided. Automatic hidden
    /// layers follow a warm start's <paramref name="initialHiddenSizes"/> when there is one. Every field is set here, so
    /// the engine's own defaults never apply to a model trained through ML.NET.
    /// </summary>
    public static TrainingSettings ToTrainingSettings(MlpOptionsBase options, IRowSource rows, LossKind loss, int outputCount,
        int epochs, int seed, float huberDelta, IReadOnlyList<int>? initialHiddenSizes = null)
        => WithNumericEncoding(new()
        {
            HiddenLayerSizes = options.ResolveHiddenLayerSizes(rows.FeatureCount, rows.IsSparse, initialHiddenSizes),
            HiddenActivation = ToEngine(options.Activation),
            Loss = loss,
            OutputCount = outputCount,
            HuberDelta = huberDelta,
            Optimizer = ToEngine(options.Optimizer),
            LearningRate = options.ResolveLearningRate(rows.IsSparse),
            Momentum = options.Momentum,
            Nesterov = options.NesterovMomentum,
            Beta1 = options.Beta1,
            Beta2 = options.Beta2,
            Epsilon = options.Epsilon,
            RmsPropDecay = options.RmsPropDecay,
            WeightDecay = options.ResolveWeightDecay(),
            GradientClipNorm = options.GradientClipNorm,
            DropoutRates = options.DropoutRates,
            Schedule = ToEngine(options.LearningRateSchedule),
            InverseScalingPower = options.InverseScalingPower,
            DecayFactor = options.LearningRateDecayFactor,
            DecayStepEpochs = options.LearningRateStepEpochs,
            PlateauPatience = options.PlateauPatience,
            MinimumLearningRate = options.MinimumLearningRate,
            WarmupEpochs = options.WarmupEpochs,
            StoppingMetric = ToEngine(options.EarlyStoppingMetric),
            LbfgsHistorySize = options.LbfgsHistorySize,
            L2 = options.L2Regularization,
            BatchSize = options.BatchSize,
            MaxEpochs = epochs,
            Tolerance = options.Tolerance,
            EpochsWithoutImprovement = options.ResolveEpochsWithoutImprovement(rows.IsSparse),
            Shuffle = options.Shuffle,
            Seed = seed,
            GradientShards = options.ResolveGradientShards(),
            // One process always sums in shard order; a cluster only when GradientShards asks for it.
            SumShardsInOrder = options.GradientShards is not null || options.Cluster is null,
            SparseUpdate = ToEngine(options.SparseUpdate),
            InputScaling = InputScalingFor(options, rows.IsSparse),
        }, options, rows.IsSparse);

    // The encoding's bins, resolved once; the automatic encoding stays within its limit, one asked for encodes however
    // many inputs it adds.
    private static TrainingSettings WithNumericEncoding(TrainingSettings settings, MlpOptionsBase options, bool sparse)
        => NumericEncodingFor(options, sparse) == MlpNumericEncoding.PiecewiseLinear
            ? settings with
            {
                NumericEncodingBins = options.NumericEncodingBins,
                NumericEncodingInputLimit = options.NumericEncoding is null ? MlpOptionsBase.Defaults.AutomaticNumericEncodingMaxInputs : int.MaxValue,
            }
            : settings;

    /// <summary>
    /// The numeric encoding for <paramref name="options"/> and rows held sparse or dense (see
    /// <see cref="MlpOptionsBase.NumericEncoding"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The encoding was asked for explicitly, and the rows are sparse.</exception>
    public static MlpNumericEncoding NumericEncodingFor(MlpOptionsBase options, bool sparse) => options.NumericEncoding switch
    {
        MlpNumericEncoding.PiecewiseLinear when sparse => throw new ArgumentException(
            "NumericEncoding is PiecewiseLinear, which needs dense rows, but the features are held sparse (mostly zeros, " +
            "as text and one-hot features are). Leave NumericEncoding null (automatic) or set it to None.", nameof(options.NumericEncoding)),
        { } chosen => chosen,
        null when sparse || options.Preset == MlpPreset.ScikitLearn => MlpNumericEncoding.None,
        null => MlpOptionsBase.Defaults.NumericEncoding,
    };

    /// <summary>The engine's input scaling for <paramref name="options"/> and rows held sparse or dense (see <see cref="MlpOptionsBase.InputScaling"/>).</summary>
    public static InputScalingKind InputScalingFor(MlpOptionsBase options, bool sparse) => options.InputScaling switch
    {
        { } chosen => ToEngine(chosen),
        null when options.Preset == MlpPreset.ScikitLearn => InputScalingKind.None,
        null => sparse ? InputScalingKind.RobustOutsideUnitRange : ToEngine(MlpOptionsBase.Defaults.InputScaling),
    };

    /// <summary>The engine's input scaling for <paramref name="scaling"/>.</summary>
    public static InputScalingKind ToEngine(MlpInputScaling scaling) => scaling switch
    {
        MlpInputScaling.None => InputScalingKind.None,
        MlpInputScaling.Robust => InputScalingKind.Robust,
        _ => throw Undefined(scaling),
    };

    /// <summary>The engine's sparse update rule for <paramref name="update"/>.</summary>
    public static SparseUpdate ToEngine(MlpSparseUpdate update) => update switch
    {
        MlpSparseUpdate.Lazy => SparseUpdate.Lazy,
        MlpSparseUpdate.Dense => SparseUpdate.Dense,
        _ => throw Undefined(update),
    };

    /// <summary>The engine's activation for <paramref name="activation"/>.</summary>
    public static ActivationKind ToEngine(MlpActivation activation) => activation switch
    {
        MlpActivation.Relu => ActivationKind.Relu,
        MlpActivation.LeakyRelu => ActivationKind.LeakyRelu,
        MlpActivation.Tanh => ActivationKind.Tanh,
        MlpActivation.Sigmoid => ActivationKind.Sigmoid,
        MlpActivation.Gelu => ActivationKind.Gelu,
        MlpActivation.Identity => ActivationKind.Identity,
        _ => throw Undefined(activation),
    };

    /// <summary>The engine's optimizer for <paramref name="optimizer"/>: AdamW is Adam with decoupled weight decay.</summary>
    public static OptimizerKind ToEngine(MlpOptimizer optimizer) => optimizer switch
    {
        MlpOptimizer.Adam or MlpOptimizer.AdamW => OptimizerKind.Adam,
        MlpOptimizer.Sgd => OptimizerKind.Sgd,
        MlpOptimizer.RmsProp => OptimizerKind.RmsProp,
        MlpOptimizer.Lbfgs => OptimizerKind.Lbfgs,
        _ => throw Undefined(optimizer),
    };

    /// <summary>The engine's schedule for <paramref name="schedule"/>.</summary>
    public static LearningRateScheduleKind ToEngine(MlpLearningRateSchedule schedule) => schedule switch
    {
        MlpLearningRateSchedule.Constant => LearningRateScheduleKind.Constant,
        MlpLearningRateSchedule.InverseScaling => LearningRateScheduleKind.InverseScaling,
        MlpLearningRateSchedule.StepDecay => LearningRateScheduleKind.StepDecay,
        MlpLearningRateSchedule.Cosine => LearningRateScheduleKind.Cosine,
        MlpLearningRateSchedule.ReduceOnPlateau => LearningRateScheduleKind.ReduceOnPlateau,
        _ => throw Undefined(schedule),
    };

    /// <summary>The engine's loss for <paramref name="loss"/>.</summary>
    public static LossKind ToEngine(MlpRegressionLoss loss) => loss switch
    {
        MlpRegressionLoss.SquaredError => LossKind.SquaredError,
        MlpRegressionLoss.Huber => LossKind.Huber,
        _ => throw Undefined(loss),
    };

    /// <summary>The engine's stopping metric for <paramref name="metric"/>.</summary>
    public static StoppingMetric ToEngine(MlpEarlyStoppingMetric metric) => metric switch
    {
        MlpEarlyStoppingMetric.Loss => StoppingMetric.Loss,
        MlpEarlyStoppingMetric.Accuracy => StoppingMetric.Accuracy,
        _ => throw Undefined(metric),
    };

    private static ArgumentOutOfRangeException Undefined<TEnum>(TEnum value) where TEnum : struct, Enum
        => new(typeof(TEnum).Name, value, $"{value} is not a defined {typeof(TEnum).Name}; use one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
}
