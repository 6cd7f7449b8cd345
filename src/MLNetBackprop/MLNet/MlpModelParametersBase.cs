using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Model.OnnxConverter;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.MLNet;

namespace MLNetBackprop;

/// <summary>
/// A trained multilayer perceptron as ML.NET model parameters: the network, its save/load format, and the
/// per-row mapper the stock scorers call, and its ONNX export (<c>mlContext.Model.ConvertToOnnx</c>).
/// </summary>
/// <typeparam name="TOutput">The score type: <see cref="float"/> or a vector of <see cref="float"/>.</typeparam>
public abstract class MlpModelParametersBase<TOutput> : ModelParametersBase<TOutput>, IValueMapper, ISchemaBindableMapper, ICanSaveOnnx, ISingleCanSaveOnnx, IBindableCanSaveOnnx
{
    private readonly VectorDataViewType _inputType;

    private protected MlpModelParametersBase(IHostEnvironment env, string name, Network network, MlpTrainingRecord? training)
        : base(env, name)
    {
        Network = network;
        TrainingHistory = training?.History ?? [];
        BestEpoch = training?.BestEpoch ?? 0;
        _inputType = new VectorDataViewType(NumberDataViewType.Single, network.FeatureCount);
    }

    private protected MlpModelParametersBase(IHostEnvironment env, string name, ModelLoadContext ctx)
        : base(env, name, ctx)
    {
        // *** Binary format ***: the network as NetworkSerializer writes it, then what the subclass adds, then (from
        // VectorLabelVersion on) the vector label, then (from HistoryVersion on) the training history, which each
        // subclass reads last through LoadHistory.
        Network = ModelFileGuard.Read(ctx.Reader, NetworkSerializer.Read);
        TrainingHistory = [];
        _inputType = new VectorDataViewType(NumberDataViewType.Single, Network.FeatureCount);
    }

    /// <summary>Checks that <paramref name="ctx"/> holds a model of this kind and version before anything is read.</summary>
    private protected static ModelLoadContext CheckedAtModel(ModelLoadContext ctx, VersionInfo version)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        MlNetCompatibility.EnsureSupported();
        ctx.CheckAtModel(version);
        return ctx;
    }

    /// <summary>The version stamp from which model files carry the training history.</summary>
    private protected const uint HistoryVersion = 0x00010002;

    /// <summary>
    /// The version stamp of models trained on a vector label, which store it after the subclass's data. Models of a
    /// scalar label keep writing their earlier version, so their files are unchanged.
    /// </summary>
    private protected const uint VectorLabelVersion = 0x00010004;

    /// <summary>The vector label the model was trained on (multi-output regression, multi-label); null for a scalar label.</summary>
    internal VectorLabel? VectorLabel { get; private protected set; }

    /// <summary>Reads the vector label a file of <see cref="VectorLabelVersion"/> stores (with target scalings when <paramref name="scaled"/>).</summary>
    private protected void LoadVectorLabel(ModelLoadContext ctx, bool scaled)
    {
        if (ctx.Header.ModelVerWritten >= VectorLabelVersion)
            VectorLabel = ModelFileGuard.Read(ctx.Reader, r => VectorLabel.Read(r, Network.Layout.OutputCount, scaled));
        else if (Network.Layout.OutputCount != 1)
            throw new InvalidDataException($"The MLP model in this file has {Network.Layout.OutputCount} outputs instead of 1.");
    }

    /// <summary>
    /// Binds the model to a schema for ML.NET's scorers: a scalar label's model as ML.NET binds any predictor (so its
    /// outputs are the stock ones), a vector label's model through <see cref="VectorScoreRowMapper"/>.
    /// </summary>
    ISchemaBoundMapper ISchemaBindableMapper.Bind(IHostEnvironment env, RoleMappedSchema schema)
    {
        if (VectorLabel is { } label)
            return new VectorScoreRowMapper(this, schema, Network, label, multiLabel: label.Scalings is null);
        ISchemaBindableMapper stock = this is IValueMapperDist ? new SchemaBindableBinaryPredictorWrapper(this) : new SchemaBindablePredictorWrapper(this);
        return stock.Bind(env, schema);
    }

    /// <summary>
    /// One report per training epoch (losses, validation metrics, learning rate, speed), for plotting learning curves.
    /// Saved with the model; empty for models saved before the history was kept, or trained elsewhere.
    /// </summary>
    public IReadOnlyList<MlpEpochReport> TrainingHistory { get; private set; }

    /// <summary>
    /// The epoch whose weights the model holds: the best validation epoch when training had a validation set,
    /// otherwise the last epoch run. 0 when unknown (models saved before the history was kept).
    /// </summary>
    public int BestEpoch { get; private set; }

    /// <summary>Reads the history a file of version <see cref="HistoryVersion"/> or later stores after the model.</summary>
    private protected void LoadHistory(ModelLoadContext ctx)
    {
        if (ctx.Header.ModelVerWritten < HistoryVersion)
            return;
        (TrainingHistory, BestEpoch) = ModelFileGuard.Read(ctx.Reader, ReadHistory);
    }

    private static (IReadOnlyList<MlpEpochReport>, int) ReadHistory(BinaryReader reader)
    {
        // *** Binary format ***: int best epoch, then the history in EpochHistoryFormat (count, epoch limit, epochs).
        var best = reader.ReadInt32();
        var history = EpochHistoryFormat.Read(reader, out var limit);
        if (best < 0 || best > history.Count)
            throw new InvalidDataException($"The training history's best epoch {best} is not one of its {history.Count} epochs.");
        // The file keeps no phase: the epochs on all rows are those after the last validated one, as they alone follow a
        // validated phase without validation figures.
        var lastValidated = history.FindLastIndex(e => e.ValidationLoss is not null);
        return (history.Select((e, i) => MlpEpochReport.FromEngine(
            e with { Phase = lastValidated >= 0 && i > lastValidated ? TrainingPhase.AllRows : TrainingPhase.Main }, limit)).ToArray(), best);
    }

    private void WriteHistory(BinaryWriter writer)
    {
        writer.Write(BestEpoch);
        // Epochs on all rows come on top of the first phase's limit.
        EpochHistoryFormat.Write(writer, TrainingHistory.Select(h => h.ToEngine()).ToArray(),
            TrainingHistory.Count > 0 ? Math.Max(TrainingHistory[0].EpochLimit, TrainingHistory.Count) : 0);
    }

    /// <summary>The trained network (layout and flat parameters).</summary>
    internal Network Network { get; }

    /// <summary>Number of features the model was trained on.</summary>
    public int FeatureCount => Network.FeatureCount;

    /// <summary>
    /// Widths of all layers: [inputs, hidden..., outputs]; the inputs are the <see cref="FeatureCount"/> features, and
    /// more when the model encodes its numeric features (see <see cref="MlpOptionsBase.NumericEncoding"/>).
    /// </summary>
    public IReadOnlyList<int> LayerSizes => Network.Layout.Widths;

    /// <summary>Copies of the weight matrix (row-major, [fanIn x fanOut]) and biases of dense layer <paramref name="layer"/>.</summary>
    public (float[] Weights, float[] Biases) GetLayerParameters(int layer)
    {
        var layout = Network.Layout;
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, layout.LayerCount);
        var fanIn = layout.Widths[layer];
        var fanOut = layout.Widths[layer + 1];
        return (Network.Parameters.Slice(layout.WeightOffsets[layer], fanIn * fanOut).ToArray(),
                Network.Parameters.Slice(layout.BiasOffsets[layer], fanOut).ToArray());
    }

    DataViewType IValueMapper.InputType => _inputType;
    DataViewType IValueMapper.OutputType => OutputType;

    /// <summary>The type of the score the mapper produces.</summary>
    private protected abstract DataViewType OutputType { get; }

    /// <summary>This model's version stamp for <c>ModelSaveContext</c>.</summary>
    private protected abstract VersionInfo ModelVersion { get; }

    ValueMapper<TSrc, TDst> IValueMapper.GetMapper<TSrc, TDst>()
    {
        Host.Check(VectorLabel is null, $"This MLP model predicts {VectorLabel?.Count} values; score it with its transformer (model.Transform), not as a single score.");
        Host.Check(typeof(TSrc) == typeof(VBuffer<float>), "The MLP model maps a feature vector of float.");
        Host.Check(typeof(TDst) == typeof(TOutput), $"The MLP model produces {typeof(TOutput).Name}.");
        return (ValueMapper<TSrc, TDst>)(Delegate)CreateScoreMapper();
    }

    /// <summary>A mapper from features to score; each call gets its own buffers, so mappers may run in parallel.</summary>
    private protected abstract ValueMapper<VBuffer<float>, TOutput> CreateScoreMapper();

    bool ICanSaveOnnx.CanSaveOnnx(OnnxContext ctx) => true;

    // A scalar label's model reaches the converter through ML.NET's stock wrapper, which calls ISingleCanSaveOnnx; a
    // vector label's model is itself the bindable mapper its scorer wraps (see Bind), so the scorer calls this.
    bool IBindableCanSaveOnnx.SaveAsOnnx(OnnxContext ctx, RoleMappedSchema schema, string[] outputNames)
    {
        Host.CheckValue(ctx, nameof(ctx));
        Host.CheckValue(schema, nameof(schema));
        Host.CheckValue(outputNames, nameof(outputNames));
        if (VectorLabel is not { } label)
            throw Host.Except("Only a vector label's MLP model is bound as its own mapper.");
        if (schema.Feature is not { } features || !ctx.ContainsColumn(features.Name))
            return false;
        VectorScoreRowMapper.SaveAsOnnx(new OnnxNetworkWriter(ctx), Network, label, ctx.GetVariableName(features.Name), outputNames);
        return true;
    }

    bool ISingleCanSaveOnnx.SaveAsOnnx(OnnxContext ctx, string[] outputNames, string featureColumn)
    {
        Host.CheckValue(ctx, nameof(ctx));
        Host.CheckValue(outputNames, nameof(outputNames));
        Host.CheckNonEmpty(featureColumn, nameof(featureColumn));
        SaveAsOnnx(new OnnxNetworkWriter(ctx), outputNames, featureColumn);
        return true;
    }

    /// <summary>
    /// Writes the network applied to the ONNX variable <paramref name="features"/>, and the outputs the stock scorer
    /// names in <paramref name="outputNames"/> from it.
    /// </summary>
    private protected abstract void SaveAsOnnx(OnnxNetworkWriter writer, string[] outputNames, string features);

    /// <inheritdoc/>
    protected override void SaveCore(ModelSaveContext ctx)
    {
        base.SaveCore(ctx);
        ctx.SetVersionInfo(ModelVersion);
        NetworkSerializer.Write(ctx.Writer, Network);
        SaveExtra(ctx.Writer);
        VectorLabel?.Write(ctx.Writer);
        WriteHistory(ctx.Writer);
    }

    /// <summary>Writes what a subclass stores after the network (nothing by default).</summary>
    private protected virtual void SaveExtra(BinaryWriter writer) { }

    /// <summary>
    /// Runs the network on one row of a feature column, with buffers owned by one mapper. A sparse row (text,
    /// one-hot) is scored from its non-zeros alone, never copied into a dense vector of the input width.
    /// </summary>
    private protected sealed class RowPredictor(Network network)
    {
        private readonly float[] _outputs = new float[network.Layout.OutputCount];
        private readonly PredictionBuffers _buffers = network.CreatePredictionBuffers();

        /// <summary>Raw outputs for <paramref name="features"/>; valid until the next call.</summary>
        public ReadOnlySpan<float> Predict(in VBuffer<float> features)
        {
            var inputs = network.FeatureCount;
            if (features.Length != inputs)
                throw new InvalidOperationException(
                    $"The feature vector has {features.Length} values, but this MLP model was trained on {inputs} features. " +
                    "Score data prepared by the same pipeline as the training data.");
            if (features.IsDense)
                network.Predict(features.GetValues(), _outputs, _buffers);
            else
                network.PredictSparse(features.GetIndices(), features.GetValues(), _outputs, _buffers);
            return _outputs;
        }
    }
}
