using MLNetBackprop.Engine.Training;

namespace MLNetBackprop;

/// <summary>
/// Options shared by the three MLP trainers. Defaults (all in <see cref="Defaults"/>): the model encodes and scales its
/// own dense inputs (a piecewise-linear encoding of numeric features at their training quantiles, then robust scaling
/// with smooth clipping, fitted on the training rows and saved with the model, so the features need no normalizer), and from 100 rows on 20% of them are held out: training stops once their loss has not improved
/// for 20 epochs, and the model keeps the best epoch's weights. Otherwise as scikit-learn's <c>MLPClassifier</c>: one
/// hidden layer of 100 ReLU units, Adam with learning rate 1e-3, mini-batches of 200, L2 penalty 1e-4; unlike
/// scikit-learn, small data sets get enough epochs to converge. Sparse rows (text, one-hot: few non-zero features)
/// get their own automatic values: no input scaling or encoding, a hidden layer narrowed to bound the first layer's weights,
/// learning rate 3e-3, and a 10% validation set with a patience of 10 epochs. <see cref="Preset"/>
/// <see cref="MlpPreset.ScikitLearn"/> gives earlier versions' defaults (scikit-learn's): no input scaling or encoding, and for dense
/// rows no validation set, stopping once the training loss has not improved for 10 epochs.
/// </summary>
public abstract class MlpOptionsBase
{
    /// <summary>
    /// The default value of every option that has one; the options, the catalog's simple overloads and the command
    /// line all take their defaults from here. Options whose default is the absence of a value have no constant of
    /// their own: no example weights; automatic hidden layers, learning rate and validation fraction, which depend on
    /// whether the rows are sparse (see <see cref="HiddenLayerSize"/>, <see cref="LearningRate"/>,
    /// <see cref="ValidationFraction"/> and their sparse counterparts); automatic epochs (see
    /// <see cref="AutomaticMinimumEpochs"/>); a seed drawn from the <c>MLContext</c>; the optimizer's weight decay (see
    /// <see cref="AdamWWeightDecay"/>); no dropout, no class weights, no progress receiver, no cancellation and no
    /// checkpoints.
    /// </summary>
    /// <remarks>
    /// These are public constants, so a caller's compiler copies their values into the caller's assembly: code built
    /// against one version of this library keeps that version's values until it is recompiled, even where the options
    /// themselves (which read the constants inside this library) already default to a newer version's.
    /// </remarks>
    public static class Defaults
    {
        /// <summary>Default <see cref="MlpOptionsBase.LabelColumnName"/>: <c>"Label"</c>.</summary>
        public const string LabelColumnName = "Label";

        /// <summary>Default <see cref="MlpOptionsBase.FeatureColumnName"/>: <c>"Features"</c>.</summary>
        public const string FeatureColumnName = "Features";

        /// <summary>Width of the one hidden layer the automatic <see cref="MlpOptionsBase.HiddenLayerSizes"/> gives dense rows: 100.</summary>
        public const int HiddenLayerSize = TrainingDefaults.HiddenLayerSize;
        /// <summary>
        /// The most first-layer weights the automatic <see cref="MlpOptionsBase.HiddenLayerSizes"/> gives sparse rows:
        /// 8,388,608 (32 MB), so a wide text or one-hot input narrows the one hidden layer instead of growing the model.
        /// </summary>
        public const int SparseFirstLayerWeights = 1 << 23;
        /// <summary>The narrowest hidden layer the automatic <see cref="MlpOptionsBase.HiddenLayerSizes"/> gives sparse rows: 16.</summary>
        public const int SparseMinimumHiddenLayerSize = 16;

        /// <summary>Default <see cref="MlpOptionsBase.Preset"/>: <see cref="MlpPreset.Default"/>.</summary>
        public const MlpPreset Preset = MlpPreset.Default;

        /// <summary>The automatic <see cref="MlpOptionsBase.InputScaling"/> for dense rows: <see cref="MlpInputScaling.Robust"/>.</summary>
        public const MlpInputScaling InputScaling = MlpInputScaling.Robust;

        /// <summary>
        /// The automatic <see cref="MlpOptionsBase.NumericEncoding"/> for dense rows under <see cref="MlpPreset.Default"/>:
        /// <see cref="MlpNumericEncoding.PiecewiseLinear"/>, where it adds at most
        /// <see cref="AutomaticNumericEncodingMaxInputs"/> inputs.
        /// </summary>
        public const MlpNumericEncoding NumericEncoding = MlpNumericEncoding.PiecewiseLinear;

        /// <summary>The default <see cref="MlpOptionsBase.NumericEncodingBins"/>: 16.</summary>
        public const int NumericEncodingBins = 16;

        /// <summary>
        /// The most inputs the automatic <see cref="MlpOptionsBase.NumericEncoding"/> adds: 1024. Wider encodings (many
        /// numeric features, such as an image's pixels) would multiply the first layer's cost, so the features then enter
        /// unencoded.
        /// </summary>
        public const int AutomaticNumericEncodingMaxInputs = 1024;

        /// <summary>Default <see cref="MlpOptionsBase.Activation"/>: <see cref="MlpActivation.Relu"/>.</summary>
        public const MlpActivation Activation = MlpActivation.Relu;

        /// <summary>Default <see cref="MlpOptionsBase.Optimizer"/>: <see cref="MlpOptimizer.Adam"/>.</summary>
        public const MlpOptimizer Optimizer = MlpOptimizer.Adam;

        /// <summary>The automatic <see cref="MlpOptionsBase.LearningRate"/> for dense rows: 1e-3.</summary>
        public const float LearningRate = TrainingDefaults.LearningRate;
        /// <summary>
        /// The automatic <see cref="MlpOptionsBase.LearningRate"/> for sparse rows: 3e-3. Each first-layer weight of a
        /// sparse input moves only in the batches that contain its feature, so it needs larger steps.
        /// </summary>
        public const float SparseLearningRate = 3e-3f;

        /// <summary>Default <see cref="MlpOptionsBase.Momentum"/>: 0.9.</summary>
        public const float Momentum = TrainingDefaults.Momentum;

        /// <summary>Default <see cref="MlpOptionsBase.NesterovMomentum"/>: <c>true</c>.</summary>
        public const bool NesterovMomentum = TrainingDefaults.Nesterov;

        /// <summary>Default <see cref="MlpOptionsBase.Beta1"/>: 0.9.</summary>
        public const float Beta1 = TrainingDefaults.Beta1;

        /// <summary>Default <see cref="MlpOptionsBase.Beta2"/>: 0.999.</summary>
        public const float Beta2 = TrainingDefaults.Beta2;

        /// <summary>Default <see cref="MlpOptionsBase.Epsilon"/>: 1e-8.</summary>
        public const float Epsilon = TrainingDefaults.Epsilon;

        /// <summary>Default <see cref="MlpOptionsBase.L2Regularization"/>: 1e-4.</summary>
        public const float L2Regularization = TrainingDefaults.L2;

        /// <summary>Default <see cref="MlpOptionsBase.BatchSize"/>: 200.</summary>
        public const int BatchSize = TrainingDefaults.BatchSize;

        /// <summary>The fewest epochs the automatic <see cref="MlpOptionsBase.NumberOfEpochs"/> plans: 200.</summary>
        public const int AutomaticMinimumEpochs = TrainingDefaults.Epochs;

        /// <summary>The fewest mini-batch updates the automatic <see cref="MlpOptionsBase.NumberOfEpochs"/> plans for: 4000.</summary>
        public const int AutomaticMinimumUpdates = 4000;

        /// <summary>Default <see cref="MlpOptionsBase.Tolerance"/>: 1e-4.</summary>
        public const float Tolerance = TrainingDefaults.Tolerance;

        /// <summary>
        /// The automatic <see cref="MlpOptionsBase.EpochsWithoutImprovement"/>: 10 for sparse rows and under
        /// <see cref="MlpPreset.ScikitLearn"/>.
        /// </summary>
        public const int EpochsWithoutImprovement = TrainingDefaults.EpochsWithoutImprovement;
        /// <summary>
        /// The automatic <see cref="MlpOptionsBase.EpochsWithoutImprovement"/> for dense rows under <see cref="MlpPreset.Default"/>:
        /// 20, since a held-out loss of a few hundred rows wanders from epoch to epoch before it turns for good.
        /// </summary>
        public const int ValidationEpochsWithoutImprovement = 20;

        /// <summary>Default <see cref="MlpOptionsBase.Shuffle"/>: <c>true</c>.</summary>
        public const bool Shuffle = TrainingDefaults.Shuffle;

        /// <summary>Default <see cref="MlpOptionsBase.RmsPropDecay"/>: 0.9.</summary>
        public const float RmsPropDecay = TrainingDefaults.RmsPropDecay;

        /// <summary>The <see cref="MlpOptionsBase.WeightDecay"/> that <see cref="MlpOptimizer.AdamW"/> uses when it is <c>null</c>: 0.01.</summary>
        public const float AdamWWeightDecay = 0.01f;

        /// <summary>Default <see cref="MlpOptionsBase.GradientClipNorm"/>: 0 (no clipping).</summary>
        public const float GradientClipNorm = 0f;

        /// <summary>Default <see cref="MlpOptionsBase.LearningRateSchedule"/>: <see cref="MlpLearningRateSchedule.Constant"/>.</summary>
        public const MlpLearningRateSchedule LearningRateSchedule = MlpLearningRateSchedule.Constant;

        /// <summary>Default <see cref="MlpOptionsBase.InverseScalingPower"/>: 0.5.</summary>
        public const float InverseScalingPower = TrainingDefaults.InverseScalingPower;

        /// <summary>Default <see cref="MlpOptionsBase.LearningRateDecayFactor"/>: 0.1.</summary>
        public const float LearningRateDecayFactor = TrainingDefaults.DecayFactor;

        /// <summary>Default <see cref="MlpOptionsBase.LearningRateStepEpochs"/>: 10.</summary>
        public const int LearningRateStepEpochs = TrainingDefaults.DecayStepEpochs;

        /// <summary>Default <see cref="MlpOptionsBase.PlateauPatience"/>: 5.</summary>
        public const int PlateauPatience = TrainingDefaults.PlateauPatience;

        /// <summary>Default <see cref="MlpOptionsBase.MinimumLearningRate"/>: 0.</summary>
        public const float MinimumLearningRate = 0f;

        /// <summary>Default <see cref="MlpOptionsBase.WarmupEpochs"/>: 0 (no warm-up).</summary>
        public const int WarmupEpochs = 0;

        /// <summary>
        /// The automatic <see cref="MlpOptionsBase.ValidationFraction"/> for dense rows under <see cref="MlpPreset.Default"/>:
        /// 0.2. The held-out loss says when a small or noisy table starts to be overfitted, and the model keeps the best
        /// epoch's weights. Under <see cref="MlpPreset.ScikitLearn"/> dense rows hold none out.
        /// </summary>
        public const float ValidationFraction = 0.2f;
        /// <summary>
        /// The automatic <see cref="MlpOptionsBase.ValidationFraction"/> for sparse rows: 0.1. Wide inputs with more
        /// features than rows fit the training rows long before the training loss stops falling; the held-out loss
        /// says when to stop.
        /// </summary>
        public const float SparseValidationFraction = 0.1f;
        /// <summary>The fewest training rows from which the automatic <see cref="MlpOptionsBase.ValidationFraction"/> holds rows out: 100.</summary>
        public const int AutomaticValidationMinimumRows = 100;
        /// <summary>
        /// The most training rows (before the hold-out) for which the automatic <see cref="MlpOptionsBase.TrainOnHeldOutRows"/>
        /// trains on the held-out rows too: 20,000. The fifth of the rows a hold-out takes matters on small tables; on
        /// larger ones it adds little, while each epoch of the second phase costs more.
        /// </summary>
        public const int TrainOnHeldOutRowsMaximumRows = 20_000;
        /// <summary>Default <see cref="MlpOptionsBase.SparseUpdate"/>: <see cref="MlpSparseUpdate.Lazy"/>.</summary>
        public const MlpSparseUpdate SparseUpdate = MlpSparseUpdate.Lazy;

        /// <summary>Default <see cref="MlpOptionsBase.EarlyStoppingMetric"/>: <see cref="MlpEarlyStoppingMetric.Loss"/>.</summary>
        public const MlpEarlyStoppingMetric EarlyStoppingMetric = MlpEarlyStoppingMetric.Loss;

        /// <summary>Default <see cref="MlpOptionsBase.LbfgsHistorySize"/>: 10.</summary>
        public const int LbfgsHistorySize = TrainingDefaults.LbfgsHistorySize;

        /// <summary>Default <see cref="MlpOptionsBase.DataLoading"/>: <see cref="MlpDataLoading.Auto"/>.</summary>
        public const MlpDataLoading DataLoading = MlpDataLoading.Auto;

        /// <summary>Default <see cref="MlpOptionsBase.ClusterData"/>: <see cref="MlpClusterData.SameView"/>.</summary>
        public const MlpClusterData ClusterData = MlpClusterData.SameView;
        /// <summary>
        /// The share of the memory .NET may use that <see cref="MlpDataLoading.Auto"/> lets the rows take in memory:
        /// 0.5, leaving the rest for the model, its optimizer state, the validation rows and the pipeline.
        /// </summary>
        public const double AutomaticInMemoryShare = 0.5;
        /// <summary>
        /// The features the automatic <see cref="MlpOptionsBase.ShuffleBufferSize"/> holds when the buffer is the only
        /// mixing (the data view cannot give its rows in random order): 64 MB.
        /// </summary>
        public const int ShuffleBufferMegabytes = 64;
        /// <summary>
        /// The features the automatic <see cref="MlpOptionsBase.ShuffleBufferSize"/> holds when the data view gives its
        /// rows in random order itself (a binary <c>.idv</c>, a cached view): 16 MB. The view's order already mixes the
        /// whole data, so the buffer only mixes neighbours, and the view's own shuffling takes memory of its own.
        /// </summary>
        public const int ShuffledViewBufferMegabytes = 16;
        /// <summary>
        /// The fewest batches the automatic <see cref="MlpOptionsBase.ShuffleBufferSize"/> holds, whatever the rows'
        /// width: 4, so that each batch is still drawn from more rows than it takes.
        /// </summary>
        public const int ShuffleBufferMinimumBatches = 4;

        /// <summary>Default <see cref="MlpOptionsBase.CheckpointEveryEpochs"/>: 1.</summary>
        public const int CheckpointEveryEpochs = 1;

        /// <summary>Default <see cref="MlpClassificationOptionsBase.ClassWeighting"/>: <see cref="MlpClassWeighting.None"/>.</summary>
        public const MlpClassWeighting ClassWeighting = MlpClassWeighting.None;

        /// <summary>Default <see cref="MlpRegressionTrainer.Options.Loss"/>: <see cref="MlpRegressionLoss.SquaredError"/>.</summary>
        public const MlpRegressionLoss RegressionLoss = MlpRegressionLoss.SquaredError;

        /// <summary>Default <see cref="MlpRegressionTrainer.Options.HuberDelta"/>: 1.</summary>
        public const float HuberDelta = TrainingDefaults.HuberDelta;
    }

    /// <summary>Name of the label column. Default <c>"Label"</c>.</summary>
    public string LabelColumnName { get; set; } = Defaults.LabelColumnName;

    /// <summary>Name of the feature column: a known-size vector of <see cref="float"/>. Default <c>"Features"</c>.</summary>
    public string FeatureColumnName { get; set; } = Defaults.FeatureColumnName;

    /// <summary>
    /// Name of an optional example-weight column of <see cref="float"/>; weights must be finite and non-negative.
    /// Default <c>null</c> (every row weighs 1).
    /// </summary>
    public string? ExampleWeightColumnName { get; set; }

    /// <summary>
    /// Widths of the hidden layers, input side first; each in [1, 1048576]. An empty array trains a linear model.
    /// Default <c>null</c>, automatic: one layer of <see cref="Defaults.HiddenLayerSize"/> (100) units; for sparse rows
    /// (text, one-hot) as many units as keep the first layer within <see cref="Defaults.SparseFirstLayerWeights"/>
    /// weights, a multiple of 8 from <see cref="Defaults.SparseMinimumHiddenLayerSize"/> to 100; when <c>Fit</c> is
    /// given an initial model (warm start), that model's layers. The training log says what was chosen.
    /// </summary>
    public int[]? HiddenLayerSizes { get; set; }

    /// <summary>Activation after each hidden layer. Default <see cref="MlpActivation.Relu"/>.</summary>
    public MlpActivation Activation { get; set; } = Defaults.Activation;

    /// <summary>Weight-update rule. Default <see cref="MlpOptimizer.Adam"/>.</summary>
    public MlpOptimizer Optimizer { get; set; } = Defaults.Optimizer;

    /// <summary>
    /// Step size of the optimizer, in (0, 10] (for SGD, 1e-2 to 1e-1 is typical). Default <c>null</c>, automatic:
    /// <see cref="Defaults.LearningRate"/> (1e-3) for dense rows, <see cref="Defaults.SparseLearningRate"/> (3e-3) for
    /// sparse rows.
    /// </summary>
    public float? LearningRate { get; set; }

    /// <summary>Momentum of <see cref="MlpOptimizer.Sgd"/>, in [0, 1). Default 0.9.</summary>
    public float Momentum { get; set; } = Defaults.Momentum;

    /// <summary>Use Nesterov momentum with <see cref="MlpOptimizer.Sgd"/>. Default <c>true</c>.</summary>
    public bool NesterovMomentum { get; set; } = Defaults.NesterovMomentum;

    /// <summary>Adam's decay rate of the first moment, in [0, 1). Default 0.9.</summary>
    public float Beta1 { get; set; } = Defaults.Beta1;

    /// <summary>Adam's decay rate of the second moment, in [0, 1). Default 0.999.</summary>
    public float Beta2 { get; set; } = Defaults.Beta2;

    /// <summary>Adam's numerical-stability constant, in (0, 1). Default 1e-8.</summary>
    public float Epsilon { get; set; } = Defaults.Epsilon;

    /// <summary>
    /// L2 penalty on the weights (not the biases), in [0, 1e3]; scaled per mini-batch as in scikit-learn's
    /// <c>alpha</c>. Default 1e-4.
    /// </summary>
    public float L2Regularization { get; set; } = Defaults.L2Regularization;

    /// <summary>Rows per mini-batch, at least 1 (capped at the number of rows). Default 200.</summary>
    public int BatchSize { get; set; } = Defaults.BatchSize;

    /// <summary>
    /// Maximum number of passes over the training data, in [1, 1000000], or <c>null</c> (the default) for
    /// automatic: 200 epochs, or more on small data sets so that training makes at least
    /// <see cref="Defaults.AutomaticMinimumUpdates"/> mini-batch updates (a data set of 400 rows in batches of 200 gets
    /// 2000 epochs). Either way training stops earlier when the training loss stops improving (see
    /// <see cref="Tolerance"/>).
    /// </summary>
    public int? NumberOfEpochs { get; set; }

    /// <summary>The epoch limit for <paramref name="rowCount"/> training rows.</summary>
    internal int ResolveEpochs(int rowCount)
    {
        if (NumberOfEpochs is { } epochs)
            return epochs;
        var batchesPerEpoch = (rowCount + BatchSize - 1) / Math.Max(1, BatchSize);
        var forUpdates = (Defaults.AutomaticMinimumUpdates + batchesPerEpoch - 1) / Math.Max(1, batchesPerEpoch);
        return Math.Max(Defaults.AutomaticMinimumEpochs, forUpdates);
    }

    /// <summary>
    /// The hidden layer widths in effect for <paramref name="featureCount"/> features held sparse or dense, or on a warm
    /// start from a model with <paramref name="initialHiddenSizes"/>.
    /// </summary>
    internal int[] ResolveHiddenLayerSizes(int featureCount, bool sparse, IReadOnlyList<int>? initialHiddenSizes = null)
    {
        if (HiddenLayerSizes is { } sizes)
            return sizes;
        if (initialHiddenSizes is not null)
            return [.. initialHiddenSizes];
        if (!sparse)
            return [Defaults.HiddenLayerSize];
        var fitting = Defaults.SparseFirstLayerWeights / Math.Max(1, featureCount) / 8 * 8;
        return [Math.Clamp(fitting, Defaults.SparseMinimumHiddenLayerSize, Defaults.HiddenLayerSize)];
    }

    /// <summary>The learning rate in effect for rows held sparse or dense.</summary>
    internal float ResolveLearningRate(bool sparse) => LearningRate ?? (sparse ? Defaults.SparseLearningRate : Defaults.LearningRate);

    /// <summary>The validation fraction in effect for <paramref name="rowCount"/> training rows held sparse or dense.</summary>
    internal float ResolveValidationFraction(int rowCount, bool sparse)
        => ValidationFraction ?? (rowCount < Defaults.AutomaticValidationMinimumRows ? 0f
            : sparse ? Defaults.SparseValidationFraction
            : Preset == MlpPreset.ScikitLearn ? 0f : Defaults.ValidationFraction);

    /// <summary>The decoupled weight decay in effect: the option, or <see cref="Defaults.AdamWWeightDecay"/> for AdamW and 0 otherwise.</summary>
    internal float ResolveWeightDecay() => WeightDecay ?? (Optimizer == MlpOptimizer.AdamW ? Defaults.AdamWWeightDecay : 0f);

    /// <summary>
    /// Training stops when the epoch's training loss has not improved on the best loss by at least this much
    /// for <see cref="EpochsWithoutImprovement"/> consecutive epochs; 0 always runs
    /// <see cref="NumberOfEpochs"/> epochs. In [0, ∞). Default 1e-4.
    /// </summary>
    public float Tolerance { get; set; } = Defaults.Tolerance;

    /// <summary>
    /// Patience of the <see cref="Tolerance"/> rule, at least 1. Default <c>null</c>, automatic:
    /// <see cref="Defaults.ValidationEpochsWithoutImprovement"/> (20) for dense rows under <see cref="MlpPreset.Default"/>,
    /// otherwise <see cref="Defaults.EpochsWithoutImprovement"/> (10).
    /// </summary>
    public int? EpochsWithoutImprovement { get; set; }

    /// <summary>The patience in effect for rows held sparse or dense.</summary>
    internal int ResolveEpochsWithoutImprovement(bool sparse) => EpochsWithoutImprovement
        ?? (sparse || Preset == MlpPreset.ScikitLearn ? Defaults.EpochsWithoutImprovement : Defaults.ValidationEpochsWithoutImprovement);

    /// <summary>Shuffle the rows before every epoch. Default <c>true</c>.</summary>
    public bool Shuffle { get; set; } = Defaults.Shuffle;

    /// <summary>
    /// Seed for weight initialisation and shuffling. Default <c>null</c>: drawn from the <c>MLContext</c>'s seeded
    /// generator, so <c>new MLContext(seed: 1)</c> gives reproducible models.
    /// </summary>
    public int? Seed { get; set; }

    /// <summary>Decay rate of <see cref="MlpOptimizer.RmsProp"/>'s running mean square, in [0, 1). Default 0.9.</summary>
    public float RmsPropDecay { get; set; } = Defaults.RmsPropDecay;

    /// <summary>
    /// Decoupled weight decay λ, in [0, 1]: before every update each weight (not the biases) is multiplied by
    /// 1 − η·λ, with η the current learning rate (Loshchilov and Hutter's AdamW; with SGD it is SGDW). Unlike
    /// <see cref="L2Regularization"/> it does not pass through the optimizer's scaling. Default <c>null</c>: 0.01 for
    /// <see cref="MlpOptimizer.AdamW"/>, 0 for the others; not available with <see cref="MlpOptimizer.Lbfgs"/>.
    /// </summary>
    public float? WeightDecay { get; set; }

    /// <summary>
    /// Gradient clipping by global norm, in [0, 1e6]: a mini-batch gradient whose L2 norm over all parameters exceeds
    /// this value is scaled down to it. Default 0 (no clipping).
    /// </summary>
    public float GradientClipNorm { get; set; } = Defaults.GradientClipNorm;

    /// <summary>
    /// Dropout probabilities of the hidden layers, each in [0, 1): empty (the default) for no dropout, one value for
    /// every hidden layer, or one value per hidden layer. Active only during training (inverted dropout), so the
    /// model predicts with all units.
    /// </summary>
    public float[] DropoutRates { get; set; } = [];

    /// <summary>How the learning rate changes over the epochs. Default <see cref="MlpLearningRateSchedule.Constant"/>.</summary>
    public MlpLearningRateSchedule LearningRateSchedule { get; set; } = Defaults.LearningRateSchedule;

    /// <summary>Exponent of <see cref="MlpLearningRateSchedule.InverseScaling"/>, in [0, 10]. Default 0.5.</summary>
    public float InverseScalingPower { get; set; } = Defaults.InverseScalingPower;

    /// <summary>
    /// Factor by which <see cref="MlpLearningRateSchedule.StepDecay"/> and <see cref="MlpLearningRateSchedule.ReduceOnPlateau"/>
    /// multiply the learning rate, in (0, 1). Default 0.1.
    /// </summary>
    public float LearningRateDecayFactor { get; set; } = Defaults.LearningRateDecayFactor;

    /// <summary>Epochs between reductions of <see cref="MlpLearningRateSchedule.StepDecay"/>, at least 1. Default 10.</summary>
    public int LearningRateStepEpochs { get; set; } = Defaults.LearningRateStepEpochs;

    /// <summary>Epochs without improvement before <see cref="MlpLearningRateSchedule.ReduceOnPlateau"/> lowers the rate, at least 1. Default 5.</summary>
    public int PlateauPatience { get; set; } = Defaults.PlateauPatience;

    /// <summary>
    /// Floor of <see cref="MlpLearningRateSchedule.Cosine"/> and <see cref="MlpLearningRateSchedule.ReduceOnPlateau"/>,
    /// in [0, <see cref="LearningRate"/>]. Default 0.
    /// </summary>
    public float MinimumLearningRate { get; set; } = Defaults.MinimumLearningRate;

    /// <summary>
    /// Epochs of linear warm-up, in [0, 1000000]: epoch e ≤ W trains with LearningRate·e/(W + 1), and the schedule
    /// starts after them. Default 0.
    /// </summary>
    public int WarmupEpochs { get; set; } = Defaults.WarmupEpochs;

    /// <summary>
    /// Fraction of the training rows held out as a validation set, in [0, 0.9], when <c>Fit</c> is not given one
    /// (stratified by class for classification; chosen by <see cref="Seed"/>). Works inside a pipeline. With a
    /// validation set, <see cref="Tolerance"/> and <see cref="EpochsWithoutImprovement"/> apply to
    /// <see cref="EarlyStoppingMetric"/> on it, and the model keeps the weights of the best epoch, not the last.
    /// Default <c>null</c>, automatic: from <see cref="Defaults.AutomaticValidationMinimumRows"/> (100) training rows on,
    /// <see cref="Defaults.ValidationFraction"/> (0.2) for dense rows and <see cref="Defaults.SparseValidationFraction"/>
    /// (0.1) for sparse rows; none below that, and none for dense rows under <see cref="MlpPreset.ScikitLearn"/>. Set 0
    /// for no validation set.
    /// </summary>
    public float? ValidationFraction { get; set; }

    /// <summary>
    /// Whether, once the validation rows held out of the training rows (<see cref="ValidationFraction"/>) have picked the
    /// best epoch, training goes on to use them: from the best epoch's network, more epochs on every row, held-out
    /// ones included (a quarter of the best epoch's number, at least 5), at a constant 0.5 times the rate the best epoch trained at, and the model is the network they
    /// give. Its epochs follow the first phase's in <see cref="MlpModelParametersBase{TOutput}.TrainingHistory"/>,
    /// marked <see cref="MlpTrainingPhase.AllRows"/>. Never with a validation set given to <c>Fit</c>, the L-BFGS
    /// <see cref="Optimizer"/>, a <see cref="Cluster"/> of several processes or streamed rows (<c>true</c> is then an
    /// error; with a validation set, a warning). Default <c>null</c>, automatic: <c>true</c> when <see cref="ValidationFraction"/> is automatic too,
    /// neither <see cref="Cluster"/> nor <see cref="GradientShards"/> is set (so one process reproduces a cluster's
    /// model), the <see cref="Optimizer"/> is not L-BFGS, and the rows are dense, in memory and at most
    /// <see cref="Defaults.TrainOnHeldOutRowsMaximumRows"/> (20,000); otherwise <c>false</c>.
    /// </summary>
    public bool? TrainOnHeldOutRows { get; set; }

    /// <summary>
    /// Which defaults the automatic options (those left <c>null</c>) take (see <see cref="MlpPreset"/>). Default
    /// <see cref="MlpPreset.Default"/>; <see cref="MlpPreset.ScikitLearn"/> reproduces earlier versions' models.
    /// </summary>
    public MlpPreset Preset { get; set; } = Defaults.Preset;

    /// <summary>
    /// The model's own preprocessing of its features (see <see cref="MlpInputScaling"/>). Default <c>null</c>,
    /// automatic: <see cref="MlpInputScaling.Robust"/> for dense rows; for sparse rows <see cref="MlpInputScaling.Robust"/>
    /// when some training value lies outside [−1, 1] (raw numbers among one-hot columns), otherwise none (text, one-hot
    /// and normalized features, which their featurizers already scale); none under <see cref="MlpPreset.ScikitLearn"/>.
    /// </summary>
    public MlpInputScaling? InputScaling { get; set; }

    /// <summary>
    /// How the model encodes its numeric features (see <see cref="MlpNumericEncoding"/>), before the
    /// <see cref="InputScaling"/>. Default <c>null</c>, automatic: <see cref="MlpNumericEncoding.PiecewiseLinear"/> for
    /// dense rows when the encoding adds at most <see cref="Defaults.AutomaticNumericEncodingMaxInputs"/> (1024) inputs,
    /// otherwise none; none for sparse rows and under <see cref="MlpPreset.ScikitLearn"/>.
    /// <see cref="MlpNumericEncoding.PiecewiseLinear"/> set explicitly encodes however many inputs it adds, and needs dense
    /// rows.
    /// </summary>
    public MlpNumericEncoding? NumericEncoding { get; set; }

    /// <summary>
    /// The most bins per feature of <see cref="MlpNumericEncoding.PiecewiseLinear"/> (fewer where a feature has fewer
    /// distinct quantiles). Default <see cref="Defaults.NumericEncodingBins"/> (16); valid range 2 to 1024.
    /// </summary>
    public int NumericEncodingBins { get; set; } = Defaults.NumericEncodingBins;

    /// <summary>
    /// How a mini-batch of sparse rows updates the first-layer weights of features absent from it (see
    /// <see cref="MlpSparseUpdate"/>). Default <see cref="MlpSparseUpdate.Lazy"/>.
    /// </summary>
    public MlpSparseUpdate SparseUpdate { get; set; } = Defaults.SparseUpdate;

    /// <summary>
    /// What early stopping and best-epoch selection watch on the validation set. Default
    /// <see cref="MlpEarlyStoppingMetric.Loss"/>; <see cref="MlpEarlyStoppingMetric.Accuracy"/> is for classification.
    /// </summary>
    public MlpEarlyStoppingMetric EarlyStoppingMetric { get; set; } = Defaults.EarlyStoppingMetric;

    /// <summary>Correction pairs kept by <see cref="MlpOptimizer.Lbfgs"/>, in [1, 1000]. Default 10.</summary>
    public int LbfgsHistorySize { get; set; } = Defaults.LbfgsHistorySize;

    /// <summary>
    /// Receives one <see cref="MlpEpochReport"/> per epoch, called on the training thread (a
    /// <see cref="System.Progress{T}"/> posts it to its synchronisation context). The same line goes to the
    /// <c>MLContext</c> log. Default <c>null</c>.
    /// </summary>
    public IProgress<MlpEpochReport>? Progress { get; set; }

    /// <summary>
    /// Stops training within one mini-batch (one L-BFGS iteration) once signalled. <c>Fit</c> then returns normally
    /// with the best model so far: the best validation epoch's weights with a validation set, otherwise the current
    /// weights. Default <see cref="CancellationToken.None"/>.
    /// </summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// File for training checkpoints. Every <see cref="CheckpointEveryEpochs"/> epochs the full training state
    /// (weights, optimizer moments, epoch, random generator state, row order, schedule and early-stopping state,
    /// history) is written to it atomically (a temporary file, then a rename). If the file exists when <c>Fit</c>
    /// starts, training resumes from it and, with the same data, options and seed, ends with the same model bit for
    /// bit as an uninterrupted run; a checkpoint of different data or options is refused with an error. The file is
    /// deleted when training completes (not when it is cancelled). Default <c>null</c> (no checkpoints).
    /// </summary>
    public string? CheckpointPath { get; set; }

    /// <summary>Epochs between checkpoints, in [1, 1000000]. Default 1.</summary>
    public int CheckpointEveryEpochs { get; set; } = Defaults.CheckpointEveryEpochs;

    /// <summary>
    /// How the rows are read (see <see cref="MlpDataLoading"/>). Default <see cref="MlpDataLoading.Auto"/>: in memory
    /// when the rows' estimated peak size while being read (their non-zeros as collected, plus the dense array they are
    /// laid out into) is at most <see cref="Defaults.AutomaticInMemoryShare"/> (half) of the memory .NET may use
    /// (<c>GCMemoryInfo.TotalAvailableMemoryBytes</c>, which counts container limits and <c>DOTNET_GCHeapHardLimit</c>),
    /// streamed otherwise; a validation set given to <c>Fit</c> gets what the training rows leave of that half. The log
    /// says which, with the figures. While streaming, checkpoints are
    /// taken and resumed at epoch boundaries, and <see cref="ValidationFraction"/> holds out each row by a hash of its
    /// row id (not stratified by class), so no second copy is needed.
    /// </summary>
    public MlpDataLoading DataLoading { get; set; } = Defaults.DataLoading;

    /// <summary>
    /// Rows the shuffle buffer holds while streaming, at least <see cref="BatchSize"/>: each mini-batch takes random rows of the buffer and
    /// the next rows read take their place, so a larger buffer mixes better and costs more memory. Where the data can
    /// give its rows in random order (a binary <c>.idv</c> file, a cached view) it is also asked to. A buffer holding
    /// every row shuffles exactly as training in memory does. Default <c>null</c>, automatic: as many rows as fit in
    /// <see cref="Defaults.ShuffleBufferMegabytes"/> (64) MB, or <see cref="Defaults.ShuffledViewBufferMegabytes"/> (16)
    /// MB when the view gives its rows in random order itself, and at least <see cref="Defaults.ShuffleBufferMinimumBatches"/>
    /// (4) batches. Unused in memory.
    /// </summary>
    public int? ShuffleBufferSize { get; set; }

    /// <summary>
    /// The processes training this model together (data parallelism), for example
    /// <c>MLNetBackprop.Mpi.MpiCluster.Start()</c> under <c>mpiexec -n 4</c>. Every rank runs the same pipeline on the
    /// same data view. Rows in memory are held whole by every rank: every rank draws the same shuffled batches of
    /// <see cref="BatchSize"/> rows, and the row at place i of a batch is computed by rank i mod Size. Streamed rows
    /// (<see cref="MlpDataLoading.Streaming"/>) are split: each rank keeps the rows at places p mod Size = Rank of the
    /// view, mixes them through a shuffle buffer of its own, and gives each batch its part. Every rank computes the
    /// gradient of its rows, one allreduce sums them, and every rank takes the same update, so each ends with the same
    /// model. Validation rows in memory are split the same way and their metrics summed, so every rank stops early on
    /// the same epoch. Rank 0 alone reports progress and writes <see cref="CheckpointPath"/> (on a file system every
    /// rank sees). A rank that fails aborts the whole job with its error. Dropout masks are drawn per row, so any rank
    /// draws the same.
    /// Default <c>null</c>: this process trains alone.
    /// </summary>
    public ITrainingCluster? Cluster { get; set; }

    /// <summary>
    /// Where each rank of <see cref="Cluster"/> finds its rows. Default <see cref="MlpClusterData.SameView"/>: every rank
    /// reads the same view. With <see cref="MlpClusterData.ViewPerRank"/> each rank's view (and validation view) holds
    /// its own part of the rows: the ranks agree on the row count, the label statistics and the automatic options,
    /// each mixes and trains on its own rows (a hold-out comes out of each rank's rows), every batch takes each
    /// rank's part in proportion to its rows, and <see cref="GradientShards"/> must be the number of ranks or null.
    /// </summary>
    public MlpClusterData ClusterData { get; set; } = Defaults.ClusterData;

    /// <summary>
    /// The number of parts each global batch's gradient is summed from, in a fixed order: the row at place i of a batch
    /// belongs to part i mod GradientShards, and part m is computed on rank m mod the cluster's size. With rows in
    /// memory the model depends on this number, not on the number of ranks: with GradientShards 6, training on 1, 2, 3
    /// or 6 ranks gives the same model bit for bit, at the cost of an allreduce of GradientShards times the parameters
    /// per step (the parameters alone for 2 on 2 ranks). In [1, 1024] and a multiple of the cluster's size; when
    /// streaming on a cluster, its size (each rank's share is one part). Default <c>null</c>: one part per rank, summed
    /// over the ranks by one allreduce of the parameters in MPI's order: the fastest, and the model depends on the
    /// number of ranks (the same for the same rank count); L-BFGS always sums its parts in a fixed order.
    /// </summary>
    public int? GradientShards { get; set; }

    /// <summary>The shard count training uses: <see cref="GradientShards"/>, or one per rank.</summary>
    internal int ResolveGradientShards() => GradientShards ?? Cluster?.Size ?? 1;

    /// <summary>
    /// The shuffle buffer's rows for rows of <paramref name="bytesPerRow"/> bytes from a view that can or cannot
    /// <paramref name="viewShuffles"/>.
    /// </summary>
    internal int ResolveShuffleBufferSize(double bytesPerRow, bool viewShuffles)
    {
        var megabytes = viewShuffles ? Defaults.ShuffledViewBufferMegabytes : Defaults.ShuffleBufferMegabytes;
        var fitting = Math.Min(int.MaxValue, megabytes * (double)(1 << 20) / Math.Max(1, bytesPerRow));
        return ShuffleBufferSize ?? (int)Math.Min(int.MaxValue, Math.Max((long)Defaults.ShuffleBufferMinimumBatches * BatchSize, fitting));
    }
}
