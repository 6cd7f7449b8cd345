using MLNetBackprop.Engine.Kernels;

namespace MLNetBackprop.Engine;

/// <summary>The affine part of one layer, shared by training and prediction so both round identically.</summary>
internal static class DenseLayer
{
    /// <summary>
    /// output[rows × fanOut] = input[rows × fanIn]·W + b, where W and b are layer <paramref name="layer"/>'s slices
    /// of <paramref name="parameters"/>. Each sum starts from the bias and adds the products in input order.
    /// </summary>
    public static void Forward(NetworkLayout layout, ReadOnlySpan<float> parameters, int layer,
        ReadOnlySpan<float> input, Span<float> output, int rows)
    {
        var fanIn = layout.Widths[layer];
        var fanOut = layout.Widths[layer + 1];
        var weights = parameters.Slice(layout.WeightOffsets[layer], fanIn * fanOut);
        var biases = parameters.Slice(layout.BiasOffsets[layer], fanOut);
        MatrixMultiply.MultiplyAddBias(input, weights, biases, output, rows, fanIn, fanOut);
    }

    /// <summary>
    /// Like <see cref="Forward"/>, and also writes f(output) to <paramref name="activated"/> for the layout's hidden
    /// activation, tile by tile while the output is still in cache (training keeps both for the backward pass).
    /// </summary>
    public static void ForwardActivated(NetworkLayout layout, ReadOnlySpan<float> parameters, int layer,
        ReadOnlySpan<float> input, Span<float> output, Span<float> activated, int rows)
    {
        var fanIn = layout.Widths[layer];
        var fanOut = layout.Widths[layer + 1];
        var weights = parameters.Slice(layout.WeightOffsets[layer], fanIn * fanOut);
        var biases = parameters.Slice(layout.BiasOffsets[layer], fanOut);
        MatrixMultiply.MultiplyAddBias(input, weights, biases, output, rows, fanIn, fanOut,
            layout.HiddenActivation, activated[..(rows * fanOut)]);
    }
}
