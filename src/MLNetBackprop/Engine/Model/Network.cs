using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;

namespace MLNetBackprop.Engine.Model;

/// <summary>
/// A trained (or initialised) fully connected network: its layout, its flat parameter vector and, optionally, the
/// <see cref="InputScaling"/> its inputs pass through first. Immutable: it takes ownership of the arrays and hands out
/// only read-only views, so prediction is thread-safe as long as each thread uses its own <see cref="PredictionBuffers"/>.
/// </summary>
internal sealed class Network
{
    /// <summary>
    /// Wraps a layout and its parameters (length must equal <see cref="NetworkLayout.ParameterCount"/>). The network
    /// owns <paramref name="parameters"/> from here on: the caller must not write to it any more. With
    /// <paramref name="scaling"/>, every input row is scaled by it before the first layer.
    /// </summary>
    public Network(NetworkLayout layout, float[] parameters, InputScaling? scaling = null)
    {
        if (parameters.Length != layout.ParameterCount)
            throw new ArgumentException($"The layout needs {layout.ParameterCount} parameters but {parameters.Length} were given.");
        if (scaling is not null && scaling.FeatureCount != layout.InputCount)
            throw new ArgumentException($"The input scaling has {scaling.FeatureCount} features but the layout {layout.InputCount}.", nameof(scaling));
        Layout = layout;
        _parameters = parameters;
        Scaling = scaling;
    }

    private readonly float[] _parameters;

    /// <summary>The network's shape.</summary>
    public NetworkLayout Layout { get; }
    /// <summary>All weights and biases, laid out as <see cref="NetworkLayout"/> describes.</summary>
    public ReadOnlySpan<float> Parameters => _parameters;
    /// <summary>What the inputs pass through before the first layer; null when they enter as they are.</summary>
    public InputScaling? Scaling { get; }

    /// <summary>Rows processed together by <see cref="PredictBatch"/> (bounds its scratch memory).</summary>
    public const int PredictBatchRows = 256;

    /// <summary>Scratch memory for <see cref="Predict"/>; one per thread.</summary>
    public PredictionBuffers CreatePredictionBuffers() => new(Layout.MaxWidth, Scaling is null ? 0 : Layout.InputCount);

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
        PredictRows(Scaled(features, 1, buffers.Input), outputs[..Layout.OutputCount], 1, buffers.First, buffers.Second);
    }

    /// <summary>
    /// Computes the raw outputs for <paramref name="rowCount"/> rows: <paramref name="features"/> is row-major
    /// [rowCount × InputCount] and the start of <paramref name="outputs"/> receives [rowCount × OutputCount].
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
        var scaled = Scaling is null ? [] : new float[chunk * Layout.InputCount];
        for (var start = 0; start < rowCount; start += chunk)
        {
            var rows = Math.Min(chunk, rowCount - start);
            PredictRows(Scaled(features.Slice(start * Layout.InputCount, rows * Layout.InputCount), rows, scaled),
                outputs.Slice(start * Layout.OutputCount, rows * Layout.OutputCount), rows, scratchA, scratchB);
        }
    }

    /// <summary>
    /// Computes the raw outputs for one sparse row: <paramref name="values"/> at the strictly increasing
    /// <paramref name="indices"/>, every other feature zero. Costs O(non-zeros × first hidden width) for the first
    /// layer, never the input width (unless a centered <see cref="Scaling"/> makes the row dense), allocates nothing,
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
        if (Scaling is { } scaling)
        {
            if (scaling.IsCentered)
            {
                // Centering moves every zero: the row is dense from here on.
                var dense = buffers.Input.AsSpan(0, Layout.InputCount);
                dense.Clear();
                for (var k = 0; k < indices.Length; k++)
                    dense[indices[k]] = values[k];
                scaling.ApplyDense(dense, 1);
                PredictRows(dense, outputs[..Layout.OutputCount], 1, buffers.First, buffers.Second);
                return;
            }
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
            if (index < 0 || index >= Layout.InputCount)
                throw new ArgumentException($"Feature index {index} is outside the network's {Layout.InputCount} inputs.", nameof(indices));
            if (index <= previous)
                throw new ArgumentException(
                    $"Feature index {index} follows index {previous}: a sparse row's indices must be strictly increasing, without duplicates.",
                    nameof(indices));
            previous = index;
        }
    }

    private void PredictRows(ReadOnlySpan<float> features, Span<float> outputs, int rows, Span<float> current, Span<float> next)
        => PredictRows(0, features, outputs, rows, current, next);

    // The rows as the first layer sees them: scaled into `scratch` when the network scales its inputs.
    private ReadOnlySpan<float> Scaled(ReadOnlySpan<float> features, int rows, float[] scratch)
    {
        if (Scaling is null)
            return features;
        var scaled = scratch.AsSpan(0, features.Length);
        features.CopyTo(scaled);
        Scaling.ApplyDense(scaled, rows);
        return scaled;
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
        if (featureLength != (long)rows * Layout.InputCount)
            throw new ArgumentException($"Expected {(long)rows * Layout.InputCount} feature values but got {featureLength}.", "features");
        CheckOutputLength(outputLength, rows);
    }

    private void CheckBuffers(PredictionBuffers buffers)
    {
        if (buffers.First.Length < Layout.MaxWidth || (Scaling is not null && buffers.Input.Length < Layout.InputCount))
            throw new ArgumentException("These buffers were created for a narrower network.", nameof(buffers));
    }

    private void CheckOutputLength(int outputLength, int rows)
    {
        if (outputLength < (long)rows * Layout.OutputCount)
            throw new ArgumentException($"Expected room for {(long)rows * Layout.OutputCount} outputs but got {outputLength}.", "outputs");
    }
}
