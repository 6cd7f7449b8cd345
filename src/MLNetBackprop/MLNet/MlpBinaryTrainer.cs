using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.MLNet;

namespace MLNetBackprop;

/// <summary>
/// Trains a multilayer perceptron by backpropagation for binary classification (logistic loss on one output).
/// Create it with <c>mlContext.BinaryClassification.Trainers.Mlp(...)</c>. The label column must be
/// <see cref="bool"/>; the output columns are <c>Score</c> (raw logit), <c>Probability</c> and
/// <c>PredictedLabel</c>. Rows with NaN or infinite features are skipped and counted in the <c>MLContext</c> log.
/// </summary>
public sealed class MlpBinaryTrainer : MlpTrainerBase<BinaryPredictionTransformer<MlpBinaryModelParameters>, MlpBinaryModelParameters>
{
    /// <summary>Options of <see cref="MlpBinaryTrainer"/>; see <see cref="MlpOptionsBase"/> for each option's default and range.</summary>
    public sealed class Options : MlpClassificationOptionsBase;

    private readonly Options _options;

    internal MlpBinaryTrainer(IHostEnvironment env, Options options)
        : base(env, nameof(MlpBinaryTrainer), options, LabelKind.Boolean, TrainerUtils.MakeBoolScalarLabel)
    {
        _options = options;
    }

    /// <inheritdoc/>
    protected override PredictionKind PredictionKind => PredictionKind.BinaryClassification;

    /// <inheritdoc/>
    protected override SchemaShape.Column[] GetOutputColumnsCore(SchemaShape inputSchema) =>
    [
        new(DefaultColumnNames.Score, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false,
            new SchemaShape(AnnotationUtils.GetTrainerOutputAnnotation())),
        new(DefaultColumnNames.Probability, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false,
            new SchemaShape(AnnotationUtils.GetTrainerOutputAnnotation(true))),
        new(DefaultColumnNames.PredictedLabel, SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false,
            new SchemaShape(AnnotationUtils.GetTrainerOutputAnnotation())),
    ];

    private protected override MlpBinaryModelParameters TrainModel(IChannel channel, TrainingInputs inputs)
    {
        CheckBothClassesPresent(inputs.Train);
        var train = inputs.Train.WithLabels(new LabelMap(ClassWeights.Resolve(channel, inputs.Train.Labels, classCount: 2, _options), null));
        var (network, record) = TrainNetwork(channel, train, inputs.Validation, inputs.InitialModel?.Network,
            LossKind.Logistic, outputCount: 1, inputs.Seed);
        return new MlpBinaryModelParameters(Host, network, record);
    }

    private void CheckBothClassesPresent(TrainingRows rows)
    {
        var positives = rows.Labels.ClassRows[1];
        if (positives == 0 || positives == rows.RowCount)
            throw new InvalidOperationException(
                $"Label column '{_options.LabelColumnName}' has only {(positives == 0 ? "false" : "true")} values in the {rows.RowCount} training rows; " +
                "binary classification needs examples of both classes.");
    }

    /// <inheritdoc/>
    protected override BinaryPredictionTransformer<MlpBinaryModelParameters> MakeTransformer(MlpBinaryModelParameters model, DataViewSchema trainSchema)
        => new(Host, model, trainSchema, FeatureColumn.Name);
}
