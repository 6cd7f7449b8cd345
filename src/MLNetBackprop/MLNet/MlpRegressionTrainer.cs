using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MLNetBackprop.MLNet;

namespace MLNetBackprop;

/// <summary>
/// Trains a multilayer perceptron by backpropagation for regression. Create it with
/// <c>mlContext.Regression.Trainers.Mlp(...)</c>. The label column must be <see cref="float"/>; the output
/// column is <c>Score</c>. The label is standardized internally (see <see cref="MlpRegressionModelParameters"/>).
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
    protected override SchemaShape.Column[] GetOutputColumnsCore(SchemaShape inputSchema) =>
    [
        new(DefaultColumnNames.Score, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false,
            new SchemaShape(AnnotationUtils.GetTrainerOutputAnnotation())),
    ];

    private protected override MlpRegressionModelParameters TrainModel(IChannel channel, TrainingInputs inputs)
    {
        // A warm start keeps the initial model's standardization, so its outputs keep their meaning.
        var scaling = inputs.InitialModel?.LabelScaling ?? LabelScaling.From(inputs.Train.Labels.Moments);
        var standardize = new LabelMap(null, scaling);
        var loss = MlpOptionsMapping.ToEngine(_options.Loss);
        var (network, record) = TrainNetwork(channel, inputs.Train.WithLabels(standardize),
            inputs.Validation?.WithLabels(standardize), inputs.InitialModel?.Network,
            loss, outputCount: 1, inputs.Seed, _options.HuberDelta);
        return new MlpRegressionModelParameters(Host, network, scaling, record);
    }

    /// <inheritdoc/>
    protected override RegressionPredictionTransformer<MlpRegressionModelParameters> MakeTransformer(MlpRegressionModelParameters model, DataViewSchema trainSchema)
        => new(Host, model, trainSchema, FeatureColumn.Name);
}
