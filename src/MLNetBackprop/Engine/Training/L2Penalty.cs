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
    public static double Apply(NetworkLayout layout, ReadOnlySpan<float> parameters, Span<float> gradient, float l2, long rows)
        => Apply(layout, parameters, gradient, l2, rows, [layout.Weights(0)]);

    /// <summary>
    /// <see cref="Apply(NetworkLayout, ReadOnlySpan{float}, Span{float}, float, long)"/> on the first layer's weights in
    /// <paramref name="firstLayerRanges"/> only (a lazy update's rows, whose gradient may be stored elsewhere,
    /// <see cref="ParameterRange.GradientStart"/>) and on every weight of the other layers.
    /// </summary>
    public static double Apply(NetworkLayout layout, ReadOnlySpan<float> parameters, Span<float> gradient, float l2, long rows,
        ReadOnlySpan<ParameterRange> firstLayerRanges)
    {
        double squares = 0;
        var scale = l2 / rows;
        foreach (var range in firstLayerRanges)
            squares += AddTo(parameters, gradient, range, scale);
        for (var l = 1; l < layout.LayerCount; l++)
            squares += AddTo(parameters, gradient, layout.Weights(l), scale);
        return 0.5 * l2 * squares / rows;
    }

    // Adds scale·w to the range's gradient; returns the squared norm of its weights.
    private static double AddTo(ReadOnlySpan<float> parameters, Span<float> gradient, ParameterRange range, float scale)
    {
        var w = parameters.Slice(range.Start, range.Length);
        VectorOps.Axpy(scale, w, gradient.Slice(range.GradientStart, range.Length));
        return VectorOps.Dot(w, w);
    }
}
