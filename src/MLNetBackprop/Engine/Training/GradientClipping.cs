using MLNetBackprop.Engine.Kernels;

namespace MLNetBackprop.Engine.Training;

/// <summary>Clipping of the flat gradient between backpropagation and the optimizer step.</summary>
internal static class GradientClipping
{
    /// <summary>
    /// Rescales <paramref name="gradient"/> to global L2 norm <paramref name="maxNorm"/> when its norm exceeds it,
    /// and returns the norm before clipping. The norm is accumulated in double.
    /// </summary>
    public static double ClipByGlobalNorm(Span<float> gradient, float maxNorm)
        => ClipByGlobalNorm(gradient, maxNorm, [new ParameterRange(0, gradient.Length)]);

    /// <summary>
    /// <see cref="ClipByGlobalNorm(Span{float}, float)"/> for a gradient that is zero outside <paramref name="ranges"/>:
    /// the same norm and result, reading only the ranges.
    /// </summary>
    public static double ClipByGlobalNorm(Span<float> gradient, float maxNorm, ReadOnlySpan<ParameterRange> ranges)
    {
        double squares = 0;
        foreach (var range in ranges)
            foreach (var g in gradient.Slice(range.GradientStart, range.Length))
                squares += (double)g * g;
        var norm = Math.Sqrt(squares);
        if (norm > maxNorm)
        {
            var scale = (float)(maxNorm / norm);
            foreach (var range in ranges)
                foreach (ref var g in gradient.Slice(range.GradientStart, range.Length))
                    g *= scale;
        }
        return norm;
    }
}
