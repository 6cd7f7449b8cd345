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
}
