using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;



namespace MLNetBackprop.Engine.Layers;

/// <summary>The affine part of one layer, shared by training and prediction so both round identically.</summary>
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
}
