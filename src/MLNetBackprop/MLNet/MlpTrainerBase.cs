using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Training;
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
    private readonly MlpOptionsBase _options;
    private readonly LabelKind _labelKind;

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

    /// <summary>The trainer needs normalized features, reads its data itself, and accepts a validation set and an initial model.</summary>
    public override TrainerInfo Info { get; } = new(normalization: true, caching: false, supportValid: true, supportIncrementalTrain: true);

    /// <summary>Checks the input schema (with messages naming the column and the fix) and describes the output.</summary>
    // Re-implements IEstimator: the base method is not virtual, and its messages do not say what to do.
    public new SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnChecks.Check(inputSchema, _options, _labelKind);
        return base.GetOutputSchema(inputSchema);
    }

    /// <summary>
    /// Accepts what <see cref="ColumnChecks"/> accepted: a vector label (multi-output regression, multi-label) as well
    /// as ML.NET's scalar one, which the base class checks as before.
    /// </summary>
    protected override void CheckLabelCompatible(SchemaShape.Column labelCol)
    {
        if (labelCol.Kind == SchemaShape.Column.VectorKind.Scalar)
            base.CheckLabelCompatible(labelCol);
    }

    /// <summary>Whether the label column of <paramref name="inputSchema"/> is a vector (multi-output regression, multi-label).</summary>
    private protected bool HasVectorLabel(SchemaShape inputSchema)
        => inputSchema.TryFindColumn(_options.LabelColumnName, out var label) && label.Kind != SchemaShape.Column.VectorKind.Scalar;

    /// <summary>Checks the training data's schema, then trains an MLP and returns the prediction transformer.</summary>
    public new TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ColumnChecks.Check(input.Schema, _options, _labelKind);
        return base.Fit(input);
    }

    /// <summary>
    /// Trains on <paramref name="trainData"/> and evaluates every epoch on <paramref name="validationData"/> (same
    /// columns), like ML.NET's boosted-tree trainers: <see cref="MlpOptionsBase.Tolerance"/> and
    /// <see cref="MlpOptionsBase.EpochsWithoutImprovement"/> then apply to <see cref="MlpOptionsBase.EarlyStoppingMetric"/>
    /// on the validation rows, and the model keeps the weights of the best epoch.
    /// </summary>
    public TTransformer Fit(IDataView trainData, IDataView validationData)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        ArgumentNullException.ThrowIfNull(validationData);
        ColumnChecks.Check(trainData.Schema, _options, _labelKind);
        ColumnChecks.Check(validationData.Schema, _options, _labelKind);
        return TrainTransformer(trainData, validationData);
    }

    /// <summary>
    /// Warm start: continues training from <paramref name="initialModel"/>'s weights (as LbfgsMaximumEntropy's
    /// <c>Fit(trainData, modelParameters)</c> does). The model must have the architecture these options and data
    /// describe (feature count, <see cref="MlpOptionsBase.HiddenLayerSizes"/>, <see cref="MlpOptionsBase.Activation"/>,
    /// class count); the optimizer's moments and the epoch count start afresh. A regression model keeps its label
    /// standardization.
    /// </summary>
    public TTransformer Fit(IDataView trainData, TModel initialModel)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        ArgumentNullException.ThrowIfNull(initialModel);
        ColumnChecks.Check(trainData.Schema, _options, _labelKind);
        return TrainTransformer(trainData, initPredictor: (IPredictor)initialModel);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// On a <see cref="MlpOptionsBase.Cluster"/> of several ranks an error aborts the whole job with its message: the
    /// other ranks would otherwise wait for this one forever.
    /// </remarks>
    protected sealed override TModel TrainModelCore(TrainContext trainContext)
    {
        if (_options.Cluster is not { Size: > 1 } cluster)
            return Train(trainContext);
        try
        {
            return Train(trainContext);
        }
        catch (Exception e)
        {
            cluster.Abort(1, $"training failed: {e.GetType().Name}: {e.Message}");
            throw; // Abort does not return
        }
    }

    private TModel Train(TrainContext trainContext)
    {
        using var channel = Host.Start("Training MLP");
        var roles = trainContext.TrainingSet.Schema;
        var columns = new RowColumns(roles.Feature!.Value, roles.Label!.Value, roles.Weight, _labelKind);
        var seed = AgreedSeed(_options.Seed ?? Host.Rand.Next());
        var vector = columns.LabelSize > 0;
        if (vector && _options.Cluster is { Size: > 1 })
            throw new InvalidOperationException(
                $"Label column '{_options.LabelColumnName}' is a vector (multi-output regression or multi-label classification), which trains in one process only; " +
                "leave Cluster unset.");
        var classCount = vector ? 0 : ClassCount(columns.Label);
        var validation = trainContext.ValidationSet is { } validationSet ? ValidationStream(validationSet, columns.Label) : null;
        var agreement = _options is { ClusterData: MlpClusterData.ViewPerRank, Cluster: { Size: > 1 } cluster } ? new RankAgreement(cluster) : null;
        var loader = new RowLoader(channel, _options, classCount, stratify: _labelKind != LabelKind.Single && !vector, seed, agreement);
        if (vector && _options.DataLoading == MlpDataLoading.Streaming)
            throw new InvalidOperationException(loader.VectorLabelStreamedMessage);
        var (train, validationRows) = loader.Load(new CursorRowStream(trainContext.TrainingSet.Data, columns, "training"), validation);
        if (agreement is not null)
            (train, validationRows) = AgreeOnRows(agreement, train, validationRows);
        // The automatic rules saw the rows before any were held out.
        var rowsBeforeHoldOut = train.RowCount + (trainContext.ValidationSet is null ? validationRows?.RowCount ?? 0 : 0);
        ReportAutomaticChoices(channel, train, rowsBeforeHoldOut, trainContext.ValidationSet is not null, trainContext.InitialPredictor is not null);
        TModel? initial = null;
        if (trainContext.InitialPredictor is not null)
            initial = trainContext.InitialPredictor as TModel
                ?? throw new ArgumentException($"The initial model is a {trainContext.InitialPredictor.GetType().Name}; warm start needs a {typeof(TModel).Name}.", "initialModel");
        var slotNames = vector ? VectorLabel.SlotNamesOf(columns.Label, columns.LabelSize) : null;
        return TrainModel(channel, new TrainingInputs(train, validationRows, columns.Label, classCount, seed, initial, slotNames));
    }

    // Ranks whose views hold their own rows agree on the counts and label statistics of every rank's rows, and on
    // whether there are validation rows at all.
    private static (TrainingRows Train, TrainingRows? Validation) AgreeOnRows(RankAgreement agreement, TrainingRows train, TrainingRows? validation)
    {
        var validating = agreement.Gather([validation is null ? 0 : 1]);
        if (validating.Distinct().Count() > 1)
            throw new InvalidOperationException("Some ranks have validation rows and others none: give every rank a validation view, or none.");
        return (train.AgreedAcross(agreement), validation?.AgreedAcross(agreement));
    }

    // Every rank trains with rank 0's seed, so that a seed drawn from an MLContext without one still agrees.
    private int AgreedSeed(int seed)
    {
        if (_options.Cluster is not { Size: > 1 } cluster)
            return seed;
        var bytes = BitConverter.GetBytes(seed);
        cluster.Broadcast(bytes, root: 0);
        return BitConverter.ToInt32(bytes);
    }

    // The number of classes the label type has: 2 for a Boolean, the key count for a key, 0 for regression.
    private int ClassCount(DataViewSchema.Column label) => _labelKind switch
    {
        LabelKind.Boolean => 2,
        LabelKind.Key => label.Type.GetKeyCountAsInt32(),
        _ => 0,
    };

    private CursorRowStream ValidationStream(RoleMappedData validationSet, DataViewSchema.Column trainLabel)
    {
        var roles = validationSet.Schema;
        if (roles.Feature is not { } features || roles.Label is not { } label)
            throw new ArgumentException("The validation data needs the same feature and label columns as the training data.", "validationData");
        if (!label.Type.Equals(trainLabel.Type))
            throw new ArgumentException(
                $"Label column '{_options.LabelColumnName}' is {label.Type} in the validation data but {trainLabel.Type} in the training data; " +
                "prepare both with the same pipeline (e.g. fit MapValueToKey on the training data and apply it to both).", "validationData");
        return new CursorRowStream(validationSet.Data, new RowColumns(features, label, roles.Weight, _labelKind), "validation");
    }

    // Sparse rows change what the automatic options mean; the log says what they chose, and how to choose otherwise.
    private void ReportAutomaticChoices(IChannel channel, TrainingRows rows, long rowsBeforeHoldOut, bool validationGiven, bool warmStart)
    {
        if (!rows.IsSparse)
            return;
        var choices = new List<string>();
        if (_options.HiddenLayerSizes is null && !warmStart) // a warm start keeps the initial model's layers
            choices.Add($"HiddenLayerSizes [{string.Join(", ", _options.ResolveHiddenLayerSizes(rows.FeatureCount, sparse: true))}]");
        if (_options.LearningRate is null)
            choices.Add(string.Create(CultureInfo.InvariantCulture, $"LearningRate {_options.ResolveLearningRate(sparse: true)}"));
        if (_options.ValidationFraction is null && !validationGiven)
            choices.Add(string.Create(CultureInfo.InvariantCulture, $"ValidationFraction {_options.ResolveValidationFraction((int)Math.Min(int.MaxValue, rowsBeforeHoldOut), sparse: true)}"));
        if (choices.Count > 0)
            channel.Info($"The rows are sparse, so the automatic options chose {string.Join(", ", choices)}; set an option to choose its value.");
    }

    // Automatic rules count rows in an int; a streamed set beyond that is simply "many".
    private static int RowCountForRules(TrainingRows rows) => (int)Math.Min(int.MaxValue, rows.RowCount);

    /// <summary>
    /// What <see cref="TrainModel"/> trains on: rows read or streamed (and possibly split), the label column and its
    /// class count, the seed, a warm-start model, and a vector label's slot names ("" where it has none; null for a
    /// scalar label), whose rows are in memory.
    /// </summary>
    private protected sealed record TrainingInputs(TrainingRows Train, TrainingRows? Validation, DataViewSchema.Column Label,
        int ClassCount, int Seed, TModel? InitialModel, string[]? LabelSlotNames = null);

    /// <summary>Checks the labels, trains the network and wraps it in model parameters.</summary>
    private protected abstract TModel TrainModel(IChannel channel, TrainingInputs inputs);

    /// <summary>
    /// Runs the engine with these options on <paramref name="train"/> (and <paramref name="validation"/>), starting
    /// from <paramref name="initialNetwork"/> when given, logging each epoch to the channel and the progress callback.
    /// </summary>
    private protected (Network Network, MlpTrainingRecord Record) TrainNetwork(IChannel channel,
        TrainingRows train, TrainingRows? validation, Network? initialNetwork, LossKind loss, int outputCount, int seed, float huberDelta = 1f)
    {
        var epochs = _options.ResolveEpochs(RowCountForRules(train));
        var rows = train.ToRowSource(_options.Cluster?.Rank ?? 0, _options.Cluster?.Size ?? 1);
        var settings = MlpOptionsMapping.ToTrainingSettings(_options, rows, loss, outputCount, epochs, seed, huberDelta,
            initialNetwork?.Layout.HiddenSizes);
        var layout = new NetworkLayout(train.FeatureCount, settings.HiddenLayerSizes, outputCount, settings.HiddenActivation);
        if (initialNetwork is not null)
            CheckSameArchitecture(initialNetwork, layout);
        channel.Info($"Training an MLP {string.Join("-", layout.Widths)} " +
            $"on {train.RowCount} {train.Describe(_options.Shuffle)}{(validation is null ? "" : $", validating on {validation.RowCount}")}, for up to {epochs} epochs" +
            $"{(initialNetwork is null ? "" : ", starting from the given model")}" +
            $"{(train.AllRows is { } all ? $"; then on all {all.RowCount} rows from the best epoch (TrainOnHeldOutRows)" : "")}.");
        ReportModelSize(channel, layout);
        var run = new TrainingRunOptions
        {
            Validation = validation?.ToRowSource(),
            AllRows = train.AllRows?.ToRowSource(),
            InitialParameters = initialNetwork?.Parameters.ToArray(),
            InitialScaling = initialNetwork?.Scaling,
            InitialEncoding = initialNetwork?.Encoding,
            Cancellation = _options.CancellationToken,
            CheckpointPath = _options.CheckpointPath,
            CheckpointInterval = _options.CheckpointEveryEpochs,
            Collective = _options.Cluster is { } cluster ? new ClusterCollective(cluster) : null,
            OnEpoch = epoch =>
            {
                var report = MlpEpochReport.FromEngine(epoch, epochs);
                channel.Info(report.ToString());
                _options.Progress?.Report(report);
            },
        };
        var result = NetworkTrainer.Train(rows, settings, run);
        DivergenceCheck.EnsureSensibleLoss(result, settings.LearningRate);
        ReportEncodedSize(channel, layout, result.Network.Layout);
        channel.Info(result.StopReason switch
        {
            StopReason.NoImprovement => $"Stopped after {result.History.Count} epochs: the {(validation is null ? "training loss" : $"validation {_options.EarlyStoppingMetric.ToString().ToLowerInvariant()}")} " +
                $"improved by less than {_options.Tolerance} for {settings.EpochsWithoutImprovement} epochs.",
            StopReason.Cancelled => $"Cancelled after {result.History.Count} complete epochs.",
            StopReason.Converged => $"L-BFGS converged after {result.History.Count} iterations.",
            _ => $"Ran all {result.History.Count} epochs.",
        } + Kept(result, validation is not null));
        var record = new MlpTrainingRecord(result.History.Select(e => MlpEpochReport.FromEngine(e, epochs)).ToArray(), result.BestEpoch);
        return (result.Network, record);
    }

    // Which weights the model holds, for the log.
    private static string Kept(TrainingResult result, bool validated)
    {
        if (result.ValidatedBestEpoch is { } picked)
            return $" The validation set picked epoch {picked}; from it, {result.History.Count(e => e.Phase == TrainingPhase.AllRows)} epochs on all rows, " +
                "held-out ones included, trained the model's network.";
        return validated ? $" The model keeps the weights of epoch {result.BestEpoch}, the best on the validation set." : "";
    }

    // The layout compared is the features' (the initial network's first layer may take more inputs: its encoding's).
    private static void CheckSameArchitecture(Network initialNetwork, NetworkLayout expected)
    {
        var shape = initialNetwork.Layout;
        var initial = new NetworkLayout(initialNetwork.FeatureCount, shape.HiddenSizes, shape.OutputCount, shape.HiddenActivation);
        static string Describe(NetworkLayout l) => $"{string.Join("-", l.Widths)} {l.HiddenActivation}";
        if (Describe(initial) != Describe(expected))
            throw new ArgumentException(
                $"The initial model's network is {Describe(initial)}, but these options and data describe {Describe(expected)} " +
                "(features-HiddenLayerSizes-outputs Activation). Warm start needs the same architecture.", "initialModel");
    }

    /// <summary>First-layer weights from which the log says how to shrink a wide input's model.</summary>
    internal const int WideFirstLayerWeights = 1 << 20;

    // The model's size, and for wide inputs (text, one-hot) where it comes from and how to cut it: the first layer
    // holds features × first width weights, which dominates the model file once there are thousands of features.
    private static void ReportModelSize(IChannel channel, NetworkLayout layout)
    {
        channel.Info($"The network has {SizeOf(layout)}.");
        var firstLayer = (long)layout.Widths[0] * layout.Widths[1];
        if (firstLayer >= WideFirstLayerWeights)
            channel.Info(string.Format(CultureInfo.InvariantCulture,
                "Its first layer holds {0:N0} features x {1:N0} = {2:N0} weights. To shrink a wide input's model, give " +
                "FeaturizeText fewer n-grams or a smaller vocabulary (its Options), use OneHotHashEncoding with fewer bits, " +
                "or narrow the first hidden layer.", layout.Widths[0], layout.Widths[1], firstLayer));
    }

    // The numeric encoding is fitted during training, so the size reported before it counted the features alone.
    private static void ReportEncodedSize(IChannel channel, NetworkLayout planned, NetworkLayout trained)
    {
        if (trained.Widths[0] == planned.Widths[0])
            return;
        channel.Info(string.Create(CultureInfo.InvariantCulture,
            $"The numeric encoding added {trained.Widths[0] - planned.Widths[0]:N0} inputs: the trained network is {string.Join("-", trained.Widths)}, {SizeOf(trained)}."));
    }

    // "N parameters (M MB in the model file)", the model's size as both reports give it.
    private static string SizeOf(NetworkLayout layout) => string.Create(CultureInfo.InvariantCulture,
        $"{layout.ParameterCount:N0} parameters ({layout.ParameterCount * (double)sizeof(float) / (1 << 20):F1} MB in the model file)");

    private static IHost RegisterValidated(IHostEnvironment env, string name, MlpOptionsBase options)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(options);
        MlpOptionsValidator.Validate(options);
        return env.Register(name);
    }
}
