namespace MLNetBackprop;

/// <summary>
/// Options shared by the three MLP trainers. Defaults follow scikit-learn's <c>MLPClassifier</c>: one hidden
/// layer of 100 ReLU units, Adam with learning rate 1e-3, mini-batches of 200, L2 penalty 1e-4, stopping once the
/// training loss stops improving; unlike scikit-learn, small data sets get enough epochs to converge. Normalize the features first (for example with
/// <c>NormalizeMinMax</c>): gradient training is sensitive to feature scale.
/// </summary>
public abstract partial class MlpOptionsBase
{
    /// <summary>Name of the label column. Default <c>"Label"</c>.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Name of the feature column: a known-size vector of <see cref="float"/>. Default <c>"Features"</c>.</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>
    /// Name of an optional example-weight column of <see cref="float"/>; weights must be finite and non-negative.
    /// Default <c>null</c> (every row weighs 1).
    /// </summary>
    public string? ExampleWeightColumnName { get; set; }

    /// <summary>
    /// Widths of the hidden layers, input side first; each at least 1. An empty array trains a linear model.
    /// Default <c>[100]</c>.
    /// </summary>
    public int[] HiddenLayerSizes { get; set; } = [100];

    /// <summary>Activation after each hidden layer. Default <see cref="MlpActivation.Relu"/>.</summary>
    public MlpActivation Activation { get; set; } = MlpActivation.Relu;

    /// <summary>Weight-update rule. Default <see cref="MlpOptimizer.Adam"/>.</summary>
    public MlpOptimizer Optimizer { get; set; } = MlpOptimizer.Adam;

    /// <summary>Step size of the optimizer, in (0, 10]. Default 1e-3 (for SGD, 1e-2 to 1e-1 is typical).</summary>
    public float LearningRate { get; set; } = 1e-3f;

    /// <summary>Momentum of <see cref="MlpOptimizer.Sgd"/>, in [0, 1). Default 0.9.</summary>
    public float Momentum { get; set; } = 0.9f;

    /// <summary>Use Nesterov momentum with <see cref="MlpOptimizer.Sgd"/>. Default <c>true</c>.</summary>
    public bool NesterovMomentum { get; set; } = true;

    /// <summary>Adam's decay rate of the first moment, in [0, 1). Default 0.9.</summary>
    public float Beta1 { get; set; } = 0.9f;

    /// <summary>Adam's decay rate of the second moment, in [0, 1). Default 0.999.</summary>
    public float Beta2 { get; set; } = 0.999f;

    /// <summary>Adam's numerical-stability constant, in (0, 1). Default 1e-8.</summary>
    public float Epsilon { get; set; } = 1e-8f;

    /// <summary>
    /// L2 penalty on the weights (not the biases), in [0, 1e3]; scaled per mini-batch as in scikit-learn's
    /// <c>alpha</c>. Default 1e-4.
    /// </summary>
    public float L2Regularization { get; set; } = 1e-4f;

    /// <summary>Rows per mini-batch, at least 1 (capped at the number of rows). Default 200.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// Maximum number of passes over the training data, in [1, 1000000], or <c>null</c> (the default) for
    /// automatic: 200 epochs, or more on small data sets so that training makes at least
    /// <see cref="AutomaticMinimumUpdates"/> mini-batch updates (a data set of 400 rows in batches of 200 gets
    /// 2000 epochs). Either way training stops earlier when the training loss stops improving (see
    /// <see cref="Tolerance"/>).
    /// </summary>
    public int? NumberOfEpochs { get; set; }

    /// <summary>The fewest mini-batch updates the automatic <see cref="NumberOfEpochs"/> plans for: 4000.</summary>
    public const int AutomaticMinimumUpdates = 4000;

    /// <summary>The epoch limit for <paramref name="rowCount"/> training rows.</summary>
    internal int ResolveEpochs(int rowCount)
    {
        if (NumberOfEpochs is { } epochs)
            return epochs;
        var batchesPerEpoch = (rowCount + BatchSize - 1) / Math.Max(1, BatchSize);
        var forUpdates = (AutomaticMinimumUpdates + batchesPerEpoch - 1) / Math.Max(1, batchesPerEpoch);
        return Math.Max(200, forUpdates);
    }

    /// <summary>
    /// Training stops when the epoch's training loss has not improved on the best loss by at least this much
    /// for <see cref="EpochsWithoutImprovement"/> consecutive epochs; 0 always runs
    /// <see cref="NumberOfEpochs"/> epochs. In [0, ∞). Default 1e-4.
    /// </summary>
    public float Tolerance { get; set; } = 1e-4f;

    /// <summary>Patience of the <see cref="Tolerance"/> rule, at least 1. Default 10.</summary>
    public int EpochsWithoutImprovement { get; set; } = 10;

    /// <summary>Shuffle the rows before every epoch. Default <c>true</c>.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>
    /// Seed for weight initialisation and shuffling. Default <c>null</c>: drawn from the <c>MLContext</c>'s seeded
    /// generator, so <c>new MLContext(seed: 1)</c> gives reproducible models.
    /// </summary>
    public int? Seed { get; set; }
}
