using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MLNetBackprop.MLNet;

namespace MLNetBackprop;

/// <summary>
/// Trains a multilayer perceptron by backpropagation for regression. Create it with
/// <c>mlContext.Regression.Trainers.Mlp(...)</c>. The label column must be <see cref="float"/>, or a known-size
/// vector of float for multi-output regression (one output per target; NaN targets are masked out of the loss, not
/// dropped with their row); the output column is <c>Score</c>, a vector for a vector label, with the label's slot
/// names. Each target is standardized internally (see <see cref="MlpRegressionModelParameters"/>).
/// Rows with NaN or infinite features or labels are skipped and counted in the <c>MLContext</c> log.
/// </summary>
public sealed class MlpRegressionTrainer : MlpTrainerBase<RegressionPredictionTransformer<MlpRegressionModelParameters>, MlpRegressionModelParameters>
{
    /// <summary>Options of <see cref="MlpRegressionTrainer"/>; see <see cref="MlpOptionsBase"/> for the shared ones.</summary>
    public sealed class Options : MlpOptionsBase
    {
        /// <summary>Loss to minimise. Default <see cref="MlpRegressionLoss.SquaredError"/>.</summary>
        public MlpRegressionLoss Loss { get; set; } = Defaults.RegressionLoss;

        /// <summary>
        /// Threshold of the Huber loss, in standard deviations of the label (the network learns the standardized
        /// label), in (0, 1e6]. Default 1.
        /// </summary>
        public float HuberDelta { get; set; } = Defaults.HuberDelta;
    }

    private readonly Options _options;

    internal MlpRegressionTrainer(IHostEnvironment env, Options options)
        : base(env, nameof(MlpRegressionTrainer), options, LabelKind.Single, TrainerUtils.MakeR4ScalarColumn)
    {
        _options = options;
    }

    /// <inheritdoc/>
    protected override PredictionKind PredictionKind => PredictionKind.Regression;

    /// <inheritdoc/>
    /// <remarks>A vector label (multi-output regression) gives a vector <c>Score</c>, one value per target.</remarks>
    protected override SchemaShape.Column[] GetOutputColumnsCore(SchemaShape inputSchema) =>
    [
        new(DefaultColumnNames.Score, HasVectorLabel(inputSchema) ? SchemaShape.Column.VectorKind.Vector : SchemaShape.Column.VectorKind.Scalar,
            NumberDataViewType.Single, false, new SchemaShape(AnnotationUtils.GetTrainerOutputAnnotation())),
    ];

    private protected override MlpRegressionModelParameters TrainModel(IChannel channel, TrainingInputs inputs)
    {
        if (inputs.LabelSlotNames is { } names)
            return TrainMultiOutput(channel, inputs, names);
        // A warm start keeps the initial model's standardization, so its outputs keep their meaning.
        var scaling = inputs.InitialModel?.LabelScaling ?? LabelScaling.From(inputs.Train.Labels.Moments);
        var standardize = new LabelMap(null, scaling);
        var loss = MlpOptionsMapping.ToEngine(_options.Loss);
        var (network, record) = TrainNetwork(channel, inputs.Train.WithLabels(standardize),
            inputs.Validation?.WithLabels(standardize), inputs.InitialModel?.Network,
            loss, outputCount: 1, inputs.Seed, _options.HuberDelta);
        return new MlpRegressionModelParameters(Host, network, scaling, record);
    }

    // Each target standardized by its own moments (a warm start keeps the initial model's), one output per target.
    private MlpRegressionModelParameters TrainMultiOutput(IChannel channel, TrainingInputs inputs, string[] names)
    {
        var label = new VectorLabel(names, null);
        var scalings = inputs.InitialModel?.VectorLabel?.Scalings ?? VectorTargets.Scalings(inputs.Train.InMemorySet, label, _options.LabelColumnName);
        var (network, record) = TrainNetwork(channel, VectorTargets.Standardized(inputs.Train, scalings),
            inputs.Validation is { } validation ? VectorTargets.Standardized(validation, scalings) : null, inputs.InitialModel?.Network,
            MlpOptionsMapping.ToEngine(_options.Loss), outputCount: names.Length, inputs.Seed, _options.HuberDelta);
        return new MlpRegressionModelParameters(Host, network, new LabelScaling(0, 1), record, new VectorLabel(names, scalings));
    }

    /// <inheritdoc/>
    protected override RegressionPredictionTransformer<MlpRegressionModelParameters> MakeTransformer(MlpRegressionModelParameters model, DataViewSchema trainSchema)
        => new(Host, model, trainSchema, FeatureColumn.Name);
}
