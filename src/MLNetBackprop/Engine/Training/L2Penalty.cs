using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;

namespace MLNetBackprop.Engine.Training;

/// <summary>The L2 penalty on the weights, added to the loss and its gradient (the coupled counterpart of <see cref="WeightDecay"/>).</summary>
internal static class L2Penalty
{
    /// <summary>
    /// Adds λ·W/rows to the weight gradients (not the biases') in <paramref name="gradient"/> and returns the
    /// penalty (λ/2)·‖W‖²/rows, scaled per batch of <paramref name="rows"/> rows like scikit-learn's alpha.
    /// </summary>
    public static double Apply(NetworkLayout layout, ReadOnlySpan<float> parameters, Span<float> gradient, float l2, int rows)
    {
        double squares = 0;
        var scale = l2 / rows;
        for (var l = 0; l < layout.LayerCount; l++)
        {
            var count = layout.Widths[l] * layout.Widths[l + 1];
            var w = parameters.Slice(layout.WeightOffsets[l], count);
            squares += VectorOps.Dot(w, w);
            VectorOps.Axpy(scale, w, gradient.Slice(layout.WeightOffsets[l], count));
        }
        return 0.5 * l2 * squares / rows;
    }

    /// <summary>
    /// <see cref="Apply(NetworkLayout, ReadOnlySpan{float}, Span{float}, float, int)"/> restricted to the weights a lazy
    /// update changes: of the first layer only the rows <paramref name="firstLayerRows"/>, of the other layers all.
    /// </summary>
    public static double Apply(NetworkLayout layout, ReadOnlySpan<float> parameters, Span<float> gradient, float l2, int rows,
        ReadOnlySpan<int> firstLayerRows)
    {
        double squares = 0;
        var scale = l2 / rows;
        var width = layout.Widths[1];
        foreach (var row in firstLayerRows)
            squares += AddTo(parameters, gradient, layout.WeightOffsets[0] + row * width, width, scale);
        for (var l = 1; l < layout.LayerCount; l++)
            squares += AddTo(parameters, gradient, layout.WeightOffsets[l], layout.Widths[l] * layout.Widths[l + 1], scale);
        return 0.5 * l2 * squares / rows;
    }

    // Adds scale·w to the gradient of the `count` weights from `offset` on; returns their squared norm.
    private static double AddTo(ReadOnlySpan<float> parameters, Span<float> gradient, int offset, int count, float scale)
    {
        var w = parameters.Slice(offset, count);
        VectorOps.Axpy(scale, w, gradient.Slice(offset, count));
        return VectorOps.Dot(w, w);
    }
}
