using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MLNetBackprop.Engine;
using MLNetBackprop.MLNet;

namespace MLNetBackprop;

/// <summary>
/// What the three MLP trainers share: option validation, schema checks with clear messages, reading the
/// training rows into memory, and running the engine with progress sent to the <c>MLContext</c> log.
/// </summary>
/// <typeparam name="TTransformer">The stock prediction transformer the trainer returns.</typeparam>
/// <typeparam name="TModel">The trained model parameters.</typeparam>
public abstract class MlpTrainerBase<TTransformer, TModel> : TrainerEstimatorBase<TTransformer, TModel>, IEstimator<TTransformer>
    where TTransformer : ISingleFeaturePredictionTransformer<TModel>
    where TModel : class
{
    readonly MlpOptionsBase _options;
    readonly LabelKind _labelKind;

    // The label column is made from a factory so that options are validated before any column name is used.
    private protected MlpTrainerBase(IHostEnvironment env, string name, MlpOptionsBase options, LabelKind labelKind,
        Func<string, SchemaShape.Column> makeLabelColumn)
        : base(RegisterValidated(env, name, options),
            TrainerUtils.MakeR4VecFeature(options.FeatureColumnName),
            makeLabelColumn(options.LabelColumnName),
            TrainerUtils.MakeR4ScalarWeightColumn(options.ExampleWeightColumnName))
    {
        _options = options;
        _labelKind = labelKind;
    }

    /// <summary>The trainer needs normalized features, reads its data itself, and takes no validation set yet.</summary>
    public override TrainerInfo Info { get; } = new(normalization: true, caching: false);

    /// <summary>Checks the input schema (with messages naming the column and the fix) and describes the output.</summary>
    // Re-implements IEstimator: the base method is not virtual, and its messages do not say what to do.
    public new SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnChecks.Check(inputSchema, _options, _labelKind);
        return base.GetOutputSchema(inputSchema);
    }

    /// <summary>Checks the training data's schema, then trains an MLP and returns the prediction transformer.</summary>
    public new TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ColumnChecks.Check(input.Schema, _options, _labelKind);
        return base.Fit(input);
    }

    /// <inheritdoc/>
    protected sealed override TModel TrainModelCore(TrainContext context)
    {
        using var channel = Host.Start("Training MLP");
        var roles = context.TrainingSet.Schema;
        var read = TrainingDataReader.Read(context.TrainingSet.Data, roles.Feature!.Value, roles.Label!.Value, roles.Weight, _labelKind);
        ReportSkippedRows(channel, read);
        if (read.Rows.RowCount == 0)
            throw new InvalidOperationException(NoRowsMessage(read));
        var seed = _options.Seed ?? Host.Rand.Next();
        var model = TrainModel(channel, read.Rows, roles.Label.Value, seed);
        return model;
    }

    /// <summary>Checks the labels, trains the network and wraps it in model parameters.</summary>
    private protected abstract TModel TrainModel(IChannel channel, TrainingSet rows, DataViewSchema.Column label, int seed);

    /// <summary>Runs the engine with these options, logging each epoch to the channel.</summary>
    private protected TrainingResult TrainNetwork(IChannel channel, TrainingSet rows, LossKind loss, int outputCount, int seed,
        float huberDelta = 1f)
    {
        var epochs = _options.ResolveEpochs(rows.RowCount);
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = _options.HiddenLayerSizes,
            HiddenActivation = ToEngine(_options.Activation),
            Loss = loss,
            OutputCount = outputCount,
            HuberDelta = huberDelta,
            Optimizer = _options.Optimizer == MlpOptimizer.Sgd ? OptimizerKind.Sgd : OptimizerKind.Adam,
            LearningRate = _options.LearningRate,
            Momentum = _options.Momentum,
            Nesterov = _options.NesterovMomentum,
            Beta1 = _options.Beta1,
            Beta2 = _options.Beta2,
            Epsilon = _options.Epsilon,
            L2 = _options.L2Regularization,
            BatchSize = _options.BatchSize,
            MaxEpochs = epochs,
            Tolerance = _options.Tolerance,
            EpochsWithoutImprovement = _options.EpochsWithoutImprovement,
            Shuffle = _options.Shuffle,
            Seed = seed,
        };
        channel.Info($"Training an MLP {rows.FeatureCount}-{string.Join("-", _options.HiddenLayerSizes.Append(outputCount))} " +
            $"on {rows.RowCount} rows for up to {epochs} epochs.");
        var result = NetworkTrainer.Train(rows, settings,
            epoch => channel.Info($"Epoch {epoch.Epoch}: training loss {epoch.TrainingLoss:G6} ({epoch.Elapsed.TotalSeconds:F2} s)."));
        if (result.StoppedByTolerance)
            channel.Info($"Stopped after {result.History.Count} epochs: the training loss improved by less than {_options.Tolerance} " +
                $"for {_options.EpochsWithoutImprovement} epochs.");
        DivergenceCheck.EnsureSensibleLoss(result, _options.LearningRate);
        return result;
    }

    static ActivationKind ToEngine(MlpActivation activation) => activation switch
    {
        MlpActivation.Relu => ActivationKind.Relu,
        MlpActivation.LeakyRelu => ActivationKind.LeakyRelu,
        MlpActivation.Tanh => ActivationKind.Tanh,
        MlpActivation.Sigmoid => ActivationKind.Sigmoid,
        MlpActivation.Gelu => ActivationKind.Gelu,
        _ => ActivationKind.Identity,
    };

    static IHost RegisterValidated(IHostEnvironment env, string name, MlpOptionsBase options)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return env.Register(name);
    }

    void ReportSkippedRows(IChannel channel, TrainingDataReader.Result read)
    {
        if (read.SkippedBadFeatures > 0)
            channel.Warning($"Skipped {read.SkippedBadFeatures} training rows whose feature column '{_options.FeatureColumnName}' has NaN or infinite values.");
        if (read.SkippedMissingLabel > 0)
            channel.Warning($"Skipped {read.SkippedMissingLabel} training rows whose label column '{_options.LabelColumnName}' is missing (NaN, infinite or an empty key).");
    }

    string NoRowsMessage(TrainingDataReader.Result read)
    {
        var skipped = read.SkippedBadFeatures + read.SkippedMissingLabel;
        return skipped == 0
            ? "The training data has no rows."
            : $"No training rows are left: all {skipped} rows were skipped ({read.SkippedBadFeatures} with NaN or infinite values in " +
              $"'{_options.FeatureColumnName}', {read.SkippedMissingLabel} with a missing label in '{_options.LabelColumnName}'). " +
              "Replace missing values first, e.g. with mlContext.Transforms.ReplaceMissingValues.";
    }
}
