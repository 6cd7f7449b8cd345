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
/// <c>PredictedLabel</c>. A known-size vector of bool trains a multi-label model: one sigmoid output per label with
/// the binary cross-entropies summed; <c>Score</c> and <c>Probability</c> become vectors with the label's slot names,
/// the vector of predicted labels is <c>PredictedLabels</c>, and <c>PredictedLabel</c> says whether any label is predicted. Rows with NaN or infinite features are skipped and counted in the <c>MLContext</c> log.
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
    /// <remarks>
    /// A vector label (multi-label) gives vectors <c>Score</c> (each label's logit), <c>Probability</c> and
    /// <c>PredictedLabels</c>, the scalar <c>MaxScore</c> (the largest logit that is a number) and, from it, the scalar
    /// <c>PredictedLabel</c>: whether any label is predicted.
    /// </remarks>
    protected override SchemaShape.Column[] GetOutputColumnsCore(SchemaShape inputSchema)
    {
        if (!HasVectorLabel(inputSchema))
        {
            return
            [
                Column(DefaultColumnNames.Score, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single),
                Column(DefaultColumnNames.Probability, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, probability: true),
                Column(DefaultColumnNames.PredictedLabel, SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance),
            ];
        }
        return
        [
            Column(DefaultColumnNames.Score, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single),
            Column(DefaultColumnNames.Probability, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, probability: true),
            Column(VectorScoreRowMapper.PredictedLabelsColumn, SchemaShape.Column.VectorKind.Vector, BooleanDataViewType.Instance),
            Column(VectorScoreRowMapper.MaxScoreColumn, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single),
            Column(DefaultColumnNames.PredictedLabel, SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance),
        ];
    }

    private static SchemaShape.Column Column(string name, SchemaShape.Column.VectorKind kind, DataViewType type, bool probability = false)
        => new(name, kind, type, false, new SchemaShape(AnnotationUtils.GetTrainerOutputAnnotation(probability)));

    private protected override MlpBinaryModelParameters TrainModel(IChannel channel, TrainingInputs inputs)
    {
        if (inputs.LabelSlotNames is { } names)
            return TrainMultiLabel(channel, inputs, names);
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

    // One sigmoid output per label, each label's binary cross-entropy weighted by its class weight, summed.
    private MlpBinaryModelParameters TrainMultiLabel(IChannel channel, TrainingInputs inputs, string[] names)
    {
        var label = new VectorLabel(names, null);
        VectorTargets.CheckEveryLabelVaries(inputs.Train.InMemorySet, label, _options.LabelColumnName);
        var train = VectorTargets.LabelWeighted(channel, inputs.Train, _options);
        var (network, record) = TrainNetwork(channel, train, inputs.Validation, inputs.InitialModel?.Network,
            LossKind.MultiLabelLogistic, outputCount: names.Length, inputs.Seed);
        return new MlpBinaryModelParameters(Host, network, record, label);
    }

    /// <inheritdoc/>
    /// <remarks>A multi-label model's transformer thresholds the scalar <c>MaxScore</c>, whose stock <c>PredictedLabel</c> the vector one hides.</remarks>
    protected override BinaryPredictionTransformer<MlpBinaryModelParameters> MakeTransformer(MlpBinaryModelParameters model, DataViewSchema trainSchema)
        => model.VectorLabel is null
            ? new(Host, model, trainSchema, FeatureColumn.Name)
            : new(Host, model, trainSchema, FeatureColumn.Name, threshold: 0f, thresholdColumn: VectorScoreRowMapper.MaxScoreColumn);
}
