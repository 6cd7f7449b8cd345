using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;

namespace MLNetBackprop.Engine.Layers;

/// <summary>
/// One fully connected layer: its forward step (the affine part, shared by training and prediction so both round
/// identically) and its backward step.
/// </summary>
internal static class DenseLayer
{
    /// <summary>
    /// output[rows × fanOut] = input[rows × fanIn]·W + b, where W and b are layer <paramref name="layer"/>'s slices
    /// of <paramref name="parameters"/>. Each sum starts from the bias and adds the products in input order; the
    /// first layer of a wide input (<see cref="SplitsInputs"/>) does so over each half of its inputs and adds the two.
    /// </summary>
    public static void Forward(NetworkLayout layout, ReadOnlySpan<float> parameters, int layer,
        ReadOnlySpan<float> input, Span<float> output, int rows)
        => Affine(layout, parameters, layer, input, output, default, rows);

    /// <summary>
    /// <see cref="Forward"/> of the first layer for one sparse row (strictly increasing <paramref name="indices"/> of
    /// its non-zero <paramref name="values"/>), reading only the weight rows the non-zeros select; gives what
    /// <see cref="Forward"/> gives for the row made dense. <paramref name="scratch"/> holds the layer's width.
    /// </summary>
    public static void ForwardSparseRow(NetworkLayout layout, ReadOnlySpan<float> parameters, ReadOnlySpan<int> indices,
        ReadOnlySpan<float> values, Span<float> output, Span<float> scratch)
    {
        var fanIn = layout.Widths[0];
        var fanOut = layout.Widths[1];
        var splitPoint = SplitsInputs(layout, 0) ? SplitInputProduct.SplitPoint(fanIn) : 0;
        SparseRowProduct.MultiplyAddBias(indices, values, parameters.Slice(layout.WeightOffsets[0], fanIn * fanOut),
            parameters.Slice(layout.BiasOffsets[0], fanOut), output, fanOut, splitPoint, scratch);
    }

    /// <summary>
    /// <see cref="Forward"/> (or, with a non-empty <paramref name="activated"/>, <see cref="ForwardActivated"/>) of the
    /// first layer for a batch of sparse rows, reading only the weight rows of the features that occur: O(non-zeros ×
    /// width) and the same bits as the rows made dense.
    /// </summary>
    public static void ForwardSparse(NetworkLayout layout, ReadOnlySpan<float> parameters, CsrSpan input,
        Span<float> output, Span<float> activated)
    {
        var fanIn = layout.Widths[0];
        var fanOut = layout.Widths[1];
        var splitPoint = SplitsInputs(layout, 0) ? SplitInputProduct.SplitPoint(fanIn) : 0;
        SparseBatchProduct.MultiplyAddBias(input, parameters.Slice(layout.WeightOffsets[0], fanIn * fanOut),
            parameters.Slice(layout.BiasOffsets[0], fanOut), output, fanOut, splitPoint,
            activated.IsEmpty ? ActivationKind.Identity : layout.HiddenActivation, activated);
    }

    /// <summary>Whether layer <paramref name="layer"/> is computed in two halves of its inputs (<see cref="SplitInputProduct"/>).</summary>
    public static bool SplitsInputs(NetworkLayout layout, int layer) => layer == 0 && SplitInputProduct.SplitPoint(layout.InputCount) > 0;

    /// <summary>
    /// Like <see cref="Forward"/>, and also writes f(output) to <paramref name="activated"/> for the layout's hidden
    /// activation, tile by tile while the output is still in cache (training keeps both for the backward pass).
    /// </summary>
    public static void ForwardActivated(NetworkLayout layout, ReadOnlySpan<float> parameters, int layer,
        ReadOnlySpan<float> input, Span<float> output, Span<float> activated, int rows)
        => Affine(layout, parameters, layer, input, output, activated[..(rows * layout.Widths[layer + 1])], rows);

    // The product with the bias, and f of it into `activated` unless that is empty.
    private static void Affine(NetworkLayout layout, ReadOnlySpan<float> parameters, int layer,
        ReadOnlySpan<float> input, Span<float> output, Span<float> activated, int rows)
    {
        var fanIn = layout.Widths[layer];
        var fanOut = layout.Widths[layer + 1];
        var weights = parameters.Slice(layout.WeightOffsets[layer], fanIn * fanOut);
        var biases = parameters.Slice(layout.BiasOffsets[layer], fanOut);
        var activation = activated.IsEmpty ? ActivationKind.Identity : layout.HiddenActivation;
        if (SplitsInputs(layout, layer))
            SplitInputProduct.Run(input, weights, biases, output, rows, fanIn, fanOut, activation, activated);
        else
            MatrixMultiply.MultiplyAddBias(input, weights, biases, output, rows, fanIn, fanOut, activation, activated);
    }

    /// <summary>
    /// The backward step of layer <paramref name="layer"/> over <paramref name="rows"/> rows, from ∂loss/∂Z of its
    /// output in <paramref name="outputGradient"/>: the weight gradient Aᵀ·dZ and the bias gradient (column sums of
    /// dZ) into the layer's slices of the flat <paramref name="gradient"/> (<see cref="ParameterGradients"/>) and,
    /// above layer 0, ∂loss/∂Z of the layer below into <paramref name="inputGradient"/> (<see cref="InputGradient"/>).
    /// </summary>
    public static void Backward(NetworkLayout layout, ReadOnlySpan<float> parameters, int layer, ReadOnlySpan<float> input,
        ReadOnlySpan<float> outputGradient, Span<float> gradient, Span<float> inputGradient, LayerBelow below, int rows)
    {
        ParameterGradients(layout, layer, input, outputGradient, gradient, rows);
        if (layer > 0) // nothing needs ∂loss/∂(network inputs)
            InputGradient(layout, parameters, layer, outputGradient, inputGradient, below, 0, rows);
    }

    /// <summary>
    /// dW = Aᵀ·dZ and db = column sums of dZ of layer <paramref name="layer"/>, written into its slices of the flat
    /// <paramref name="gradient"/>; <paramref name="input"/> is A, what the layer saw in the forward pass.
    /// </summary>
    public static void ParameterGradients(NetworkLayout layout, int layer, ReadOnlySpan<float> input,
        ReadOnlySpan<float> outputGradient, Span<float> gradient, int rows)
    {
        var fanIn = layout.Widths[layer];
        var fanOut = layout.Widths[layer + 1];
        var dz = outputGradient[..(rows * fanOut)];
        MatrixMultiply.MultiplyTransposedA(input, dz, gradient.Slice(layout.WeightOffsets[layer], fanIn * fanOut), rows, fanIn, fanOut);
        ColumnSums(dz, gradient.Slice(layout.BiasOffsets[layer], fanOut), rows, fanOut);
    }

    /// <summary>
    /// <see cref="ParameterGradients"/> of the first layer for a batch of sparse rows: the weight gradient only in the
    /// rows of <paramref name="features"/> (the distinct features of <paramref name="input"/>, increasing), which are
    /// overwritten, or with a <paramref name="gradientRowOf"/> map in the rows it gives each feature; the other rows of
    /// the first layer's weight gradient are left as they are.
    /// </summary>
    public static void SparseParameterGradients(NetworkLayout layout, CsrSpan input, ReadOnlySpan<int> features,
        ReadOnlySpan<int> gradientRowOf, ReadOnlySpan<float> outputGradient, Span<float> gradient)
    {
        var fanOut = layout.Widths[1];
        var rows = input.RowCount;
        var dz = outputGradient[..(rows * fanOut)];
        SparseBatchProduct.MultiplyTransposedA(input, dz, fanOut, features, gradientRowOf,
            gradient.Slice(layout.WeightOffsets[0], layout.Widths[0] * fanOut));
        ColumnSums(dz, gradient.Slice(layout.BiasOffsets[0], fanOut), rows, fanOut);
    }

    /// <summary>
    /// ∂loss/∂Z of the layer below layer <paramref name="layer"/> ≥ 1 for <paramref name="rows"/> rows from
    /// <paramref name="firstRow"/> on: dA = dZ·Wᵀ, then through <paramref name="below"/>'s dropout mask and f′(Z).
    /// <paramref name="outputGradient"/> and <paramref name="inputGradient"/> start at row <paramref name="firstRow"/>.
    /// Rows are independent, so any split of the rows gives the same values.
    /// </summary>
    public static void InputGradient(NetworkLayout layout, ReadOnlySpan<float> parameters, int layer,
        ReadOnlySpan<float> outputGradient, Span<float> inputGradient, LayerBelow below, int firstRow, int rows)
    {
        var fanIn = layout.Widths[layer];
        var fanOut = layout.Widths[layer + 1];
        var da = inputGradient[..(rows * fanIn)];
        MatrixMultiply.MultiplyTransposedB(outputGradient[..(rows * fanOut)],
            parameters.Slice(layout.WeightOffsets[layer], fanIn * fanOut), da, rows, fanOut, fanIn);
        below.ToPreActivationGradient(da, firstRow * fanIn);
    }

    // db[j] = Σ_r dz[r, j], summed from 0 in row order (exactly what db.Clear() and one add per row give).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void ColumnSums(ReadOnlySpan<float> dz, Span<float> db, int rows, int width)
    {
        db.Clear();
        for (var r = 0; r < rows; r++)
            VectorOps.Axpy(1f, dz.Slice(r * width, width), db);
    }
}
