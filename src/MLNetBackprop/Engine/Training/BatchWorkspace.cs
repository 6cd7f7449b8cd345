using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// All per-batch memory of a training run, allocated once: the gathered batch (dense rows in <see cref="Inputs"/>,
/// sparse rows in <see cref="SparseInputs"/>, each allocated on first use), every layer's pre-activations and
/// activations for up to <see cref="Capacity"/> rows, the buffers of ∂loss/∂Z the backward pass walks down with, and
/// the flat gradient.
/// </summary>
internal sealed class BatchWorkspace
{
    /// <summary>
    /// Allocates buffers for <paramref name="layout"/> and batches of up to <paramref name="capacity"/> rows, with
    /// dropout masks for the hidden layers whose rate in <paramref name="dropoutRates"/> (one per hidden layer, or
    /// null for none) is above zero.
    /// </summary>
    /// <remarks>
    /// With <paramref name="compactFirstLayerGradient"/> (lazy updates of sparse rows) the first layer's weight gradient
    /// of a sparse batch is kept in that region's first rows, one per feature of the batch, so the region's other pages
    /// are never written and, allocated uninitialized, never take memory: a wide input's gradient costs its batch's
    /// features, not the model.
    /// </remarks>
    public BatchWorkspace(NetworkLayout layout, int capacity, float[]? dropoutRates = null, bool compactFirstLayerGradient = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Layout = layout;
        Capacity = capacity;
        Targets = new float[capacity];
        Weights = new float[capacity];
        PreActivations = new float[layout.LayerCount][];
        Activations = new float[layout.LayerCount][];
        var widestLayer = 0;
        for (var l = 0; l < layout.LayerCount; l++)
        {
            var width = layout.Widths[l + 1];
            widestLayer = Math.Max(widestLayer, width);
            PreActivations[l] = new float[checked(capacity * width)];
            // The output layer is identity: its activations are its pre-activations.
            Activations[l] = l == layout.LayerCount - 1 ? PreActivations[l] : new float[capacity * width];
        }
        DropoutRates = new float[layout.LayerCount - 1];
        Masks = new float[]?[layout.LayerCount - 1];
        Dropped = new float[]?[layout.LayerCount - 1];
        if (dropoutRates is not null)
        {
            if (dropoutRates.Length != DropoutRates.Length)
                throw new ArgumentException($"{dropoutRates.Length} dropout rates for {DropoutRates.Length} hidden layers.", nameof(dropoutRates));
            for (var l = 0; l < DropoutRates.Length; l++)
            {
                DropoutRates[l] = dropoutRates[l];
                if (dropoutRates[l] > 0)
                {
                    Masks[l] = new float[capacity * layout.Widths[l + 1]];
                    Dropped[l] = new float[capacity * layout.Widths[l + 1]];
                }
            }
        }
        _preActivationGradients = [new float[checked(capacity * widestLayer)], new float[capacity * widestLayer]];
        CompactFirstLayerGradient = compactFirstLayerGradient;
        if (compactFirstLayerGradient)
        {
            Gradient = GC.AllocateUninitializedArray<float>(layout.ParameterCount);
            Gradient.AsSpan(layout.BiasOffsets[0]).Clear();
            _firstLayerGradientDense = true; // whatever the memory held counts as written
        }
        else
            Gradient = new float[layout.ParameterCount];
    }

    /// <summary>
    /// Whether a sparse batch's first-layer weight gradient is stored compactly: the row of the k-th feature of
    /// <see cref="SparseBatch.Features"/> at row k (see <see cref="LazyUpdateRegion"/>).
    /// </summary>
    public bool CompactFirstLayerGradient { get; }

    /// <summary>The network shape the buffers are sized for.</summary>
    public NetworkLayout Layout { get; }
    /// <summary>Maximum rows per batch.</summary>
    public int Capacity { get; }
    /// <summary>The batch's features when its rows are dense, row-major [rows × InputCount].</summary>
    public float[] Inputs => _inputs ??= new float[checked(Capacity * Layout.InputCount)];
    private float[]? _inputs;

    /// <summary>The batch's rows when the last gather read sparse rows, else null.</summary>
    public SparseBatch? SparseInputs { get; private set; }
    private SparseBatch? _sparseBatch;
    /// <summary>The batch's targets.</summary>
    public float[] Targets { get; private set; }
    /// <summary>The batch's example weights (unused when the data set has none).</summary>
    public float[] Weights { get; }
    /// <summary>Per layer, XW + b, row-major [rows × width].</summary>
    public float[][] PreActivations { get; }
    /// <summary>Per layer, f(XW + b); the last entry is the raw network output.</summary>
    public float[][] Activations { get; }
    /// <summary>Dropout probability of each hidden layer (0 for none).</summary>
    public float[] DropoutRates { get; }
    /// <summary>Per hidden layer with dropout, the last training forward pass's mask: 0 or 1/(1 − p) per unit.</summary>
    public float[]?[] Masks { get; }
    /// <summary>Per hidden layer with dropout, its activations times the mask: the next layer's input in training.</summary>
    public float[]?[] Dropped { get; }
    /// <summary>Whether the last forward pass applied the dropout masks.</summary>
    public bool DropoutApplied { get; set; }

    /// <summary>The input of layer <paramref name="layer"/> in the last forward pass.</summary>
    public float[] LayerInput(int layer)
        => layer == 0 ? Inputs : DropoutApplied && Dropped[layer - 1] is { } dropped ? dropped : Activations[layer - 1];

    /// <summary>
    /// What the backward step of layer <paramref name="layer"/> reads of the hidden layer below it in the last forward
    /// pass (nothing for layer 0, which reads the data).
    /// </summary>
    public LayerBelow Below(int layer)
    {
        if (layer == 0)
            return default;
        ReadOnlySpan<float> mask = DropoutApplied && Masks[layer - 1] is { } m ? m : default;
        return new LayerBelow(Layout.HiddenActivation, PreActivations[layer - 1], Activations[layer - 1], mask);
    }

    // A layer's ∂loss/∂Z is only needed until the one below it is computed, so two buffers take turns.
    private readonly float[][] _preActivationGradients;

    /// <summary>
    /// The buffer for ∂loss/∂Z of layer <paramref name="layer"/> [rows × width] in the backward pass; the output
    /// layer's holds the loss gradient. Adjacent layers get different buffers.
    /// </summary>
    public float[] PreActivationGradient(int layer) => _preActivationGradients[(Layout.LayerCount - 1 - layer) & 1];

    /// <summary>∂loss/∂parameters of the last batch, in the flat parameter layout.</summary>
    public float[] Gradient { get; }

    /// <summary>The raw outputs of the last forward pass over <paramref name="rows"/> rows.</summary>
    public ReadOnlySpan<float> Outputs(int rows) => Activations[^1].AsSpan(0, rows * Layout.OutputCount);

    /// <summary>
    /// The network's input scaling, which every gathered row passes through, so that training sees its rows as the
    /// trained network will. Null (the default) leaves rows as they are.
    /// </summary>
    public InputScaling? Scaling { get; set; }

    /// <summary>
    /// The network's numeric encoding, which every gathered dense row passes through before the <see cref="Scaling"/>:
    /// rows are gathered into <see cref="RawInputs"/> and encoded into <see cref="Inputs"/>. Null (the default) gathers
    /// rows straight into <see cref="Inputs"/>.
    /// </summary>
    public PiecewiseLinearEncoding? Encoding { get; set; }

    /// <summary>The batch's dense rows before their <see cref="Encoding"/>, row-major [rows × its FeatureCount].</summary>
    public float[] RawInputs => _rawInputs ??= new float[checked(Capacity * Encoding!.FeatureCount)];
    private float[]? _rawInputs;

    /// <summary>
    /// Copies the rows <paramref name="rowIndices"/> of <paramref name="data"/> into contiguous batch buffers (so the
    /// kernels stream memory in order), scales them (see <see cref="Scaling"/>) and returns the sum of their weights
    /// (the row count without weights).
    /// </summary>
    public double Gather(TrainingSet data, ReadOnlySpan<int> rowIndices)
    {
        CheckBatchSize(rowIndices.Length);
        if (data.SparseFeatures is { } sparse)
            GatherSparse(sparse, rowIndices);
        else
            GatherDense(data.Features!, rowIndices);
        return GatherTargets(data.Targets, data.TargetWidth, data.Weights, rowIndices);
    }

    /// <summary>
    /// Copies the rows in slots <paramref name="slots"/> of <paramref name="rows"/> into the batch buffers, as
    /// <see cref="Gather(TrainingSet, ReadOnlySpan{int})"/> does, and returns the sum of their weights.
    /// </summary>
    public double Gather(RowSlots rows, ReadOnlySpan<int> slots)
    {
        CheckBatchSize(slots.Length);
        if (rows.IsSparse)
            GatherSparse(rows, slots);
        else
            GatherDense(rows.DenseFeatures!, slots);
        return GatherTargets(rows.Targets, rows.TargetWidth, rows.Weights, slots);
    }

    private void CheckBatchSize(int rows)
    {
        if (rows > Capacity)
            throw new ArgumentException($"A batch of {rows} rows exceeds the workspace capacity {Capacity}.");
    }

    private void GatherSparse<TRows>(TRows rows, ReadOnlySpan<int> rowIndices) where TRows : ISparseRows
    {
        if (Encoding is not null)
            throw new InvalidOperationException("A numeric encoding needs dense rows.");
        _sparseBatch ??= new SparseBatch(Capacity, Layout.InputCount);
        _sparseBatch.Gather(rows, rowIndices);
        if (Scaling is not null)
            _sparseBatch.Scale(Scaling);
        SparseInputs = _sparseBatch;
    }

    // The feature rows in one call that can split the copy across cores.
    private void GatherDense(float[] features, ReadOnlySpan<int> rowIndices)
    {
        if (Encoding is { } encoding)
        {
            RowGather.Copy(features, encoding.FeatureCount, rowIndices, RawInputs);
            encoding.Apply(RawInputs, Inputs, rowIndices.Length);
        }
        else
            RowGather.Copy(features, Layout.InputCount, rowIndices, Inputs);
        Scaling?.ApplyDense(Inputs, rowIndices.Length);
        SparseInputs = null;
    }

    private double GatherTargets(float[] targets, int width, float[]? weights, ReadOnlySpan<int> rowIndices)
    {
        if (Targets.Length < Capacity * width)
            Targets = new float[checked(Capacity * width)]; // rows of several targets, the first time
        double weightSum = 0;
        for (var i = 0; i < rowIndices.Length; i++)
        {
            var row = rowIndices[i];
            if (width == 1)
                Targets[i] = targets[row];
            else
                targets.AsSpan(row * width, width).CopyTo(Targets.AsSpan(i * width));
            var weight = weights is null ? 1f : weights[row];
            Weights[i] = weight;
            weightSum += weight;
        }
        return weightSum;
    }

    // Which rows of the first layer's weight gradient may hold values: after a sparse batch only the rows of its
    // features, so the next sparse batch clears just those; after anything that wrote every row, all of them.
    private int[] _writtenFirstLayerRows = [];
    private int _writtenFirstLayerRowCount;
    private bool _firstLayerGradientDense;

    /// <summary>
    /// Zeroes the first layer's weight gradient where an earlier batch left values (O(rows written) after a sparse
    /// batch) and records that the coming sparse batch writes the rows <paramref name="features"/>.
    /// </summary>
    public void StartSparseFirstLayerGradient(ReadOnlySpan<int> features)
    {
        var width = Layout.Widths[1];
        var weights = Gradient.AsSpan(Layout.WeightOffsets[0], Layout.InputCount * width);
        if (_firstLayerGradientDense)
            weights.Clear();
        else
            foreach (var row in _writtenFirstLayerRows.AsSpan(0, _writtenFirstLayerRowCount))
                weights.Slice(row * width, width).Clear();
        if (_writtenFirstLayerRows.Length < features.Length)
            _writtenFirstLayerRows = new int[Math.Max(features.Length, 2 * _writtenFirstLayerRows.Length)];
        features.CopyTo(_writtenFirstLayerRows);
        _writtenFirstLayerRowCount = features.Length;
        _firstLayerGradientDense = false;
    }

    /// <summary>Records that every row of the first layer's weight gradient may now hold values.</summary>
    public void NoteDenseFirstLayerGradient() => _firstLayerGradientDense = true;
}
