using MLNetBackprop.Engine.Kernels;

namespace MLNetBackprop.Engine;

/// <summary>The affine part of one layer, shared by training and prediction so both round identically.</summary>
internal static class DenseLayer
{
    /// <summary>
    /// output[rows × fanOut] = input[rows × fanIn]·W + b, where W and b are layer <paramref name="layer"/>'s slices
    /// of <paramref name="parameters"/>.
    /// </summary>
    public static void Forward(NetworkLayout layout, ReadOnlySpan<float> parameters, int layer,
        ReadOnlySpan<float> input, Span<float> output, int rows)
    {
        var fanIn = layout.Widths[layer];
        var fanOut = layout.Widths[layer + 1];
        var weights = parameters.Slice(layout.WeightOffsets[layer], fanIn * fanOut);
        var biases = parameters.Slice(layout.BiasOffsets[layer], fanOut);
        MatrixMultiply.Multiply(input, weights, output, rows, fanIn, fanOut);
        for (var r = 0; r < rows; r++)
            VectorOps.Axpy(1f, biases, output.Slice(r * fanOut, fanOut));
    }
}
