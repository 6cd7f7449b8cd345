using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.MLNet;

namespace MLNetBackprop;

/// <summary>
/// Trains a multilayer perceptron by backpropagation for multiclass classification (softmax cross-entropy).
/// Create it with <c>mlContext.MulticlassClassification.Trainers.Mlp(...)</c>. The label column must be a key
/// (use <c>MapValueToKey</c>); the output columns are <c>Score</c> (class probabilities, with the label's key
/// values as slot names) and <c>PredictedLabel</c> (a key). Rows with NaN or infinite features or a missing
/// label are skipped and counted in the <c>MLContext</c> log.
/// </summary>
public sealed class MlpMulticlassTrainer : MlpTrainerBase<MulticlassPredictionTransformer<MlpMulticlassModelParameters>, MlpMulticlassModelParameters>
{
    /// <summary>Options of <see cref="MlpMulticlassTrainer"/>; see <see cref="MlpOptionsBase"/> for each option's default and range.</summary>
    public sealed class Options : MlpClassificationOptionsBase;

    private readonly Options _options;

    internal MlpMulticlassTrainer(IHostEnvironment env, Options options)
        : base(env, nameof(MlpMulticlassTrainer), options, LabelKind.Key, TrainerUtils.MakeU4ScalarColumn)
    {
        _options = options;
    }

    /// <inheritdoc/>
    protected override PredictionKind PredictionKind => PredictionKind.MulticlassClassification;

    /// <inheritdoc/>
    protected override SchemaShape.Column[] GetOutputColumnsCore(SchemaShape inputSchema)
    {
        inputSchema.TryFindColumn(LabelColumn.Name, out var label);
        var predictedLabelAnnotations = new SchemaShape(label.Annotations
            .Where(a => a.Name == AnnotationUtils.Kinds.KeyValues)
            .Concat(AnnotationUtils.GetTrainerOutputAnnotation()));
        return
        [
            new(DefaultColumnNames.Score, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false,
                new SchemaShape(AnnotationUtils.AnnotationsForMulticlassScoreColumn(label))),
            new(DefaultColumnNames.PredictedLabel, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true,
                predictedLabelAnnotations),
        ];
    }

    private protected override MlpMulticlassModelParameters TrainModel(IChannel channel, TrainingInputs inputs)
    {
        var rows = inputs.Train;
        var label = inputs.Label;
        // The class count comes from the key type, so classes absent from the training rows still get an output.
        var classCount = inputs.ClassCount;
        if (classCount < 2)
            throw new InvalidOperationException(
                $"Label column '{_options.LabelColumnName}' has a key type with {classCount} value(s); multiclass classification needs at least 2 classes.");
        if (rows.Labels.ClassesPresent < 2)
            throw new InvalidOperationException(
                $"Label column '{_options.LabelColumnName}' has only one class in the {rows.RowCount} training rows; classification needs at least 2.");
        var train = rows.WithLabels(new LabelMap(ClassWeights.Resolve(channel, rows.Labels, classCount, _options), null));
        var (network, record) = TrainNetwork(channel, train, inputs.Validation, inputs.InitialModel?.Network,
            LossKind.SoftmaxCrossEntropy, classCount, inputs.Seed);
        return new MlpMulticlassModelParameters(Host, network, record);
    }

    /// <inheritdoc/>
    protected override MulticlassPredictionTransformer<MlpMulticlassModelParameters> MakeTransformer(MlpMulticlassModelParameters model, DataViewSchema trainSchema)
        => new(Host, model, trainSchema, FeatureColumn.Name, LabelColumn.Name);
}
