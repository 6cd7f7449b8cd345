using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;

namespace MLNetBackprop.MLNet;

/// <summary>
/// Scores a model trained on a vector label, one row at a time, where ML.NET's stock scorers handle scalar scores
/// only. Regression gives <c>Score</c>, a vector of each target in label units. Multi-label gives <c>Score</c> (each
/// label's logit), <c>Probability</c> (each sigmoid) and <see cref="PredictedLabelsColumn"/> (each logit &gt; 0) as
/// vectors, and the scalar <see cref="MaxScoreColumn"/> (the largest logit that is a number, −∞ when none is), which
/// ML.NET's binary scorer, kept so that the transformer is the stock one, thresholds into its scalar
/// <c>PredictedLabel</c>: whether any label is predicted. (That scorer adds its <c>PredictedLabel</c> itself and
/// refuses a second column of the name, so the vector has a name of its own.) Every vector carries the label's slot
/// names. <see cref="SaveAsOnnx"/> writes the same columns into an ONNX graph.
/// </summary>
internal sealed class VectorScoreRowMapper : ISchemaBoundRowMapper
{
    /// <summary>The scalar column of a multi-label model that ML.NET's binary scorer thresholds.</summary>
    public const string MaxScoreColumn = "MaxScore";

    /// <summary>The vector column of a multi-label model's predicted labels.</summary>
    public const string PredictedLabelsColumn = "PredictedLabels";

    private readonly Network _network;
    private readonly VectorLabel _label;
    private readonly bool _multiLabel;

    public VectorScoreRowMapper(ISchemaBindableMapper bindable, RoleMappedSchema schema, Network network, VectorLabel label, bool multiLabel)
    {
        if (schema.Feature is not { } features)
            throw new ArgumentException("The MLP model needs a feature column to score.", nameof(schema));
        if (features.Type is not VectorDataViewType { IsKnownSize: true, ItemType: NumberDataViewType } type || type.ItemType != NumberDataViewType.Single
            || type.Size != network.FeatureCount)
            throw new ArgumentException(
                $"Feature column '{features.Name}' is {features.Type}, but this MLP model scores a vector of {network.FeatureCount} Single. " +
                "Score data prepared by the same pipeline as the training data.", nameof(schema));
        Bindable = bindable;
        InputRoleMappedSchema = schema;
        _network = network;
        _label = label;
        _multiLabel = multiLabel;
        OutputSchema = BuildOutputSchema();
    }

    public RoleMappedSchema InputRoleMappedSchema { get; }
    public DataViewSchema InputSchema => InputRoleMappedSchema.Schema;
    public DataViewSchema OutputSchema { get; }
    public ISchemaBindableMapper Bindable { get; }

    private DataViewSchema BuildOutputSchema()
    {
        var vector = new VectorDataViewType(NumberDataViewType.Single, _label.Count);
        var builder = new DataViewSchema.Builder();
        if (!_multiLabel)
        {
            builder.AddColumn(AnnotationUtils.Const.ScoreValueKind.Score, vector,
                _label.SlotNameAnnotations(ScoreAnnotations(AnnotationUtils.Const.ScoreColumnKind.MultiOutputRegression, AnnotationUtils.Const.ScoreValueKind.Score)));
            return builder.ToSchema();
        }
        var kind = AnnotationUtils.Const.ScoreColumnKind.BinaryClassification;
        builder.AddColumn(AnnotationUtils.Const.ScoreValueKind.Score, vector, _label.SlotNameAnnotations(ScoreAnnotations(kind, AnnotationUtils.Const.ScoreValueKind.Score)));
        builder.AddColumn(AnnotationUtils.Const.ScoreValueKind.Probability, vector,
            _label.SlotNameAnnotations(ScoreAnnotations(kind, AnnotationUtils.Const.ScoreValueKind.Probability)));
        builder.AddColumn(PredictedLabelsColumn, new VectorDataViewType(BooleanDataViewType.Instance, _label.Count),
            _label.SlotNameAnnotations(ScoreAnnotations(kind, AnnotationUtils.Const.ScoreValueKind.PredictedLabel)));
        builder.AddColumn(MaxScoreColumn, NumberDataViewType.Single, ScoreAnnotations(kind, AnnotationUtils.Const.ScoreValueKind.Score));
        return builder.ToSchema();
    }

    private static DataViewSchema.Annotations ScoreAnnotations(string columnKind, string valueKind)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(AnnotationUtils.Kinds.ScoreColumnKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> value) => value = columnKind.AsMemory());
        builder.Add(AnnotationUtils.Kinds.ScoreValueKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> value) => value = valueKind.AsMemory());
        return builder.ToAnnotations();
    }

    public IEnumerable<KeyValuePair<RoleMappedSchema.ColumnRole, string>> GetInputColumnRoles()
    {
        yield return RoleMappedSchema.ColumnRole.Feature.Bind(InputRoleMappedSchema.Feature!.Value.Name);
    }

    public IEnumerable<DataViewSchema.Column> GetDependenciesForNewColumns(IEnumerable<DataViewSchema.Column> dependingColumns)
        => dependingColumns.Any() ? [InputRoleMappedSchema.Feature!.Value] : [];

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        var active = activeColumns.Select(c => c.Index).ToHashSet();
        var getters = new Delegate[OutputSchema.Count];
        if (active.Count == 0)
            return new SimpleRow(OutputSchema, input, getters);
        var row = new CachedOutputs(input, InputRoleMappedSchema.Feature!.Value, _network);
        var count = _label.Count;
        if (!_multiLabel)
        {
            var scalings = _label.Scalings!;
            getters[0] = (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var outputs = row.Outputs();
                var editor = VBufferEditor.Create(ref value, count);
                for (var j = 0; j < count; j++)
                    editor.Values[j] = scalings[j].ToLabel(outputs[j]);
                value = editor.Commit();
            });
            return new SimpleRow(OutputSchema, input, getters);
        }
        getters[0] = (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => Fill(ref value, row.Outputs(), z => z));
        getters[1] = (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => Fill(ref value, row.Outputs(), OutputLink.Sigmoid));
        getters[2] = (ValueGetter<VBuffer<bool>>)((ref VBuffer<bool> value) => Fill(ref value, row.Outputs(), z => z > 0));
        // NaN logits (from a NaN feature) are left out: ONNX Runtime's Binarizer, with which the exported scorer
        // thresholds this column, fails on NaN, and a row whose logits are all NaN predicts no label either way.
        getters[3] = (ValueGetter<float>)((ref float value) =>
        {
            var outputs = row.Outputs();
            value = float.NegativeInfinity;
            foreach (var z in outputs)
            {
                if (z > value)
                    value = z;
            }
        });
        return new SimpleRow(OutputSchema, input, getters);
    }

    /// <summary>
    /// Writes what <see cref="GetRow"/> computes into an ONNX graph, applied to the [rows × features] variable
    /// <paramref name="features"/>: the network, then the columns of <see cref="OutputSchema"/>, into the variables
    /// the scorer names, its own derived columns (the binary scorer's <c>PredictedLabel</c>) first.
    /// </summary>
    public static void SaveAsOnnx(OnnxNetworkWriter writer, Network network, VectorLabel label, string features, string[] outputNames)
    {
        var count = label.Count;
        if (label.Scalings is { } scalings)
        {
            if (outputNames.Length != 1)
                throw new InvalidOperationException($"ML.NET's scorer asked for {outputNames.Length} outputs of a multi-output regression model, which has Score alone.");
            // Each target back to its units as LabelScaling.ToLabel does: output · Scale, then + Mean.
            var standardized = writer.AddNetwork(network, features);
            var scaled = writer.Variable("ScaledScores", count);
            writer.Node("Mul", [standardized, writer.Initializer(scalings.Select(s => s.Scale).ToArray(), [count], "TargetScales")], scaled);
            writer.Node("Add", [scaled, writer.Initializer(scalings.Select(s => s.Mean).ToArray(), [count], "TargetMeans")], outputNames[0]);
            return;
        }
        if (outputNames.Length < 4)
            throw new InvalidOperationException($"ML.NET's scorer asked for {outputNames.Length} outputs of a multi-label model, which has 4.");
        var (score, probability, predicted, maxScore) = (outputNames[^4], outputNames[^3], outputNames[^2], outputNames[^1]);
        writer.AddNetwork(network, features, score);
        writer.Node("Sigmoid", [score], probability);
        writer.Node("Greater", [score, writer.Constant(0f, "Zero")], predicted);
        var nan = writer.Variable("ScoreIsNaN", new VectorDataViewType(BooleanDataViewType.Instance, count));
        writer.Node("IsNaN", [score], nan);
        var numbers = writer.Variable("ScoreNumbers", count);
        writer.Node("Where", [nan, writer.Constant(float.NegativeInfinity, "NegativeInfinity"), score], numbers);
        var max = writer.Node("ReduceMax", [numbers], maxScore);
        max.AddAttribute("axes", new long[] { 1 });
        max.AddAttribute("keepdims", 1L);
    }

    private static void Fill<T>(ref VBuffer<T> value, ReadOnlySpan<float> outputs, Func<float, T> map)
    {
        var editor = VBufferEditor.Create(ref value, outputs.Length);
        for (var j = 0; j < outputs.Length; j++)
            editor.Values[j] = map(outputs[j]);
        value = editor.Commit();
    }

    // The network's outputs for the input's current row, computed once per row whichever columns ask.
    private sealed class CachedOutputs(DataViewRow input, DataViewSchema.Column features, Network network)
    {
        private readonly ValueGetter<VBuffer<float>> _getFeatures = input.GetGetter<VBuffer<float>>(features);
        private readonly float[] _outputs = new float[network.Layout.OutputCount];
        private readonly PredictionBuffers _buffers = network.CreatePredictionBuffers();
        private VBuffer<float> _features;
        private long _position = -1;

        public ReadOnlySpan<float> Outputs()
        {
            if (_position == input.Position)
                return _outputs;
            _getFeatures(ref _features);
            if (_features.IsDense)
                network.Predict(_features.GetValues(), _outputs, _buffers);
            else
                network.PredictSparse(_features.GetIndices(), _features.GetValues(), _outputs, _buffers);
            _position = input.Position;
            return _outputs;
        }
    }
}
