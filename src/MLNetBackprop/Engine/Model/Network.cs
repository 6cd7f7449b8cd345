using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;

namespace MLNetBackprop.Engine.Model;

/// <summary>
/// A trained (or initialised) fully connected network: its layout, its flat parameter vector and, optionally, the
/// <see cref="PiecewiseLinearEncoding"/> and then the <see cref="InputScaling"/> its inputs pass through first. Immutable: it takes ownership of the arrays and hands out
/// only read-only views, so prediction is thread-safe as long as each thread uses its own <see cref="PredictionBuffers"/>.
/// </summary>
internal sealed class Network
{
    /// <summary>
    /// Wraps a layout and its parameters (length must equal <see cref="NetworkLayout.ParameterCount"/>). The network
    /// owns <paramref name="parameters"/> from here on: the caller must not write to it any more. With
    /// <paramref name="encoding"/>, every input row is encoded by it (the layout's inputs are then the encoded row's);
    /// with <paramref name="scaling"/>, every (encoded) row is scaled by it before the first layer.
    /// </summary>
    public Network(NetworkLayout layout, float[] parameters, InputScaling? scaling = null, PiecewiseLinearEncoding? encoding = null)
    {
        if (parameters.Length != layout.ParameterCount)
            throw new ArgumentException($"The layout needs {layout.ParameterCount} parameters but {parameters.Length} were given.");
        if (encoding is not null && encoding.EncodedCount != layout.InputCount)
            throw new ArgumentException($"The numeric encoding gives {encoding.EncodedCount} inputs but the layout has {layout.InputCount}.", nameof(encoding));
        if (scaling is not null && scaling.FeatureCount != layout.InputCount)
            throw new ArgumentException($"The input scaling has {scaling.FeatureCount} features but the layout {layout.InputCount}.", nameof(scaling));
        Layout = layout;
        _parameters = parameters;
        Scaling = scaling;
        Encoding = encoding;
    }

    private readonly float[] _parameters;

    /// <summary>The network's shape.</summary>
    public NetworkLayout Layout { get; }
    /// <summary>All weights and biases, laid out as <see cref="NetworkLayout"/> describes.</summary>
    public ReadOnlySpan<float> Parameters => _parameters;
    /// <summary>What the inputs pass through before the first layer; null when they enter as they are.</summary>
    public InputScaling? Scaling { get; }
    /// <summary>What the inputs pass through before the <see cref="Scaling"/>; null when the features are not encoded.</summary>
    public PiecewiseLinearEncoding? Encoding { get; }

    /// <summary>Number of features of a row the network takes: the layout's inputs, or fewer when <see cref="Encoding"/> adds some.</summary>
    public int FeatureCount => Encoding?.FeatureCount ?? Layout.InputCount;

    // Whether rows are rewritten before the first layer, so they need a buffer of their own.
    private bool PreparesInputs => Scaling is not null || Encoding is not null;

    /// <summary>Rows processed together by <see cref="PredictBatch"/> (bounds its scratch memory).</summary>
    public const int PredictBatchRows = 256;

    /// <summary>Scratch memory for <see cref="Predict"/>; one per thread.</summary>
    public PredictionBuffers CreatePredictionBuffers()
        => new(Layout.MaxWidth, PreparesInputs ? Layout.InputCount : 0, Encoding is null ? 0 : FeatureCount);

    /// <summary>Computes the raw outputs (logits) for one row of features.</summary>
    /// <remarks>
    /// Writes the first OutputCount elements of <paramref name="outputs"/>. Allocates nothing, and gives bit for bit
    /// what <see cref="PredictBatch"/> and training's forward pass give for the same row.
    /// </remarks>
    /// <exception cref="ArgumentException">A span has the wrong length or the buffers belong to a narrower network.</exception>
    public void Predict(ReadOnlySpan<float> features, Span<float> outputs, PredictionBuffers buffers)
    {
        CheckLengths(features.Length, outputs.Length, 1);
        CheckBuffers(buffers);
        PredictRows(Prepared(features, 1, buffers.Input), outputs[..Layout.OutputCount], 1, buffers.First, buffers.Second);
    }

    /// <summary>
    /// Computes the raw outputs for <paramref name="rowCount"/> rows: <paramref name="features"/> is row-major
    /// [rowCount × <see cref="FeatureCount"/>] and the start of <paramref name="outputs"/> receives [rowCount × OutputCount].
    /// Allocates scratch for up to <see cref="PredictBatchRows"/> rows per call.
    /// </summary>
    /// <exception cref="ArgumentException">A span does not have the length <paramref name="rowCount"/> implies.</exception>
    public void PredictBatch(ReadOnlySpan<float> features, Span<float> outputs, int rowCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        CheckLengths(features.Length, outputs.Length, rowCount);
        var chunk = Math.Min(rowCount, PredictBatchRows);
        if (chunk == 0)
            return;
        var scratchA = new float[chunk * Layout.MaxWidth];
        var scratchB = new float[scratchA.Length];
        var prepared = PreparesInputs ? new float[chunk * Layout.InputCount] : [];
        for (var start = 0; start < rowCount; start += chunk)
        {
            var rows = Math.Min(chunk, rowCount - start);
            PredictRows(Prepared(features.Slice(start * FeatureCount, rows * FeatureCount), rows, prepared),
                outputs.Slice(start * Layout.OutputCount, rows * Layout.OutputCount), rows, scratchA, scratchB);
        }
    }

    /// <summary>
    /// Computes the raw outputs for one sparse row: <paramref name="values"/> at the strictly increasing
    /// <paramref name="indices"/>, every other feature zero. Costs O(non-zeros × first hidden width) for the first
    /// layer, never the input width (unless an <see cref="Encoding"/> or a centered <see cref="Scaling"/> makes the row
    /// dense), allocates nothing,
    /// and gives what <see cref="Predict"/> gives for the row made dense.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The spans' lengths differ, an index is out of range, or the indices are not strictly increasing (a duplicate).
    /// </exception>
    public void PredictSparse(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, Span<float> outputs, PredictionBuffers buffers)
    {
        CheckSparseRow(indices, values);
        CheckOutputLength(outputs.Length, 1);
        CheckBuffers(buffers);
        if (Encoding is not null || Scaling is { IsCentered: true })
        {
            // Encoding and centering move zeros: the row is dense from here on.
            var dense = (Encoding is null ? buffers.Input : buffers.Raw).AsSpan(0, FeatureCount);
            dense.Clear();
            for (var k = 0; k < indices.Length; k++)
                dense[indices[k]] = values[k];
            PredictRows(Prepared(dense, 1, buffers.Input), outputs[..Layout.OutputCount], 1, buffers.First, buffers.Second);
            return;
        }
        if (Scaling is { } scaling)
        {
            var scaled = buffers.Input.AsSpan(0, values.Length);
            values.CopyTo(scaled);
            scaling.ApplySparse(indices, scaled);
            values = scaled;
        }
        if (Layout.LayerCount == 1)
        {
            DenseLayer.ForwardSparseRow(Layout, _parameters, indices, values, outputs, buffers.Second);
            return;
        }
        var hidden = buffers.First.AsSpan(0, Layout.Widths[1]);
        DenseLayer.ForwardSparseRow(Layout, _parameters, indices, values, hidden, buffers.Second);
        Activations.Forward(Layout.HiddenActivation, hidden);
        PredictRows(1, hidden, outputs[..Layout.OutputCount], 1, buffers.Second, buffers.First);
    }

    private void CheckSparseRow(ReadOnlySpan<int> indices, ReadOnlySpan<float> values)
    {
        if (indices.Length != values.Length)
            throw new ArgumentException($"A sparse row has {indices.Length} indices but {values.Length} values.", nameof(values));
        var previous = -1;
        foreach (var index in indices)
        {
            if (index < 0 || index >= FeatureCount)
                throw new ArgumentException($"Feature index {index} is outside the network's {FeatureCount} features.", nameof(indices));
            if (index <= previous)
                throw new ArgumentException(
                    $"Feature index {index} follows index {previous}: a sparse row's indices must be strictly increasing, without duplicates.",
                    nameof(indices));
            previous = index;
        }
    }

    private void PredictRows(ReadOnlySpan<float> features, Span<float> outputs, int rows, Span<float> current, Span<float> next)
        => PredictRows(0, features, outputs, rows, current, next);

    // The rows as the first layer sees them: encoded and scaled into `scratch` when the network does either. The
    // features may already lie in `scratch` (a dense copy of a sparse row) unless the network encodes them.
    private ReadOnlySpan<float> Prepared(ReadOnlySpan<float> features, int rows, float[] scratch)
    {
        if (!PreparesInputs)
            return features;
        var prepared = scratch.AsSpan(0, rows * Layout.InputCount);
        if (Encoding is not null)
            Encoding.Apply(features, prepared, rows);
        else if (!features.Overlaps(prepared))
            features.CopyTo(prepared);
        Scaling?.ApplyDense(prepared, rows);
        return prepared;
    }

    // The layers from `first` on, with `input` the input of that layer.
    private void PredictRows(int first, ReadOnlySpan<float> input, Span<float> outputs, int rows, Span<float> current, Span<float> next)
    {
        var last = Layout.LayerCount - 1;
        for (var l = first; l < last; l++)
        {
            var hidden = current[..(rows * Layout.Widths[l + 1])];
            DenseLayer.Forward(Layout, _parameters, l, input, hidden, rows);
            Activations.Forward(Layout.HiddenActivation, hidden);
            input = hidden;
            var spare = current;
            current = next;
            next = spare;
        }
        DenseLayer.Forward(Layout, _parameters, last, input, outputs, rows);
    }

    private void CheckLengths(int featureLength, int outputLength, int rows)
    {
        if (featureLength != (long)rows * FeatureCount)
            throw new ArgumentException($"Expected {(long)rows * FeatureCount} feature values but got {featureLength}.", "features");
        CheckOutputLength(outputLength, rows);
    }

    private void CheckBuffers(PredictionBuffers buffers)
    {
        if (buffers.First.Length < Layout.MaxWidth || (PreparesInputs && buffers.Input.Length < Layout.InputCount)
            || (Encoding is not null && buffers.Raw.Length < FeatureCount))
            throw new ArgumentException("These buffers were created for a narrower network.", nameof(buffers));
    }

    private void CheckOutputLength(int outputLength, int rows)
    {
        if (outputLength < (long)rows * Layout.OutputCount)
            throw new ArgumentException($"Expected room for {(long)rows * Layout.OutputCount} outputs but got {outputLength}.", "outputs");
    }
}
