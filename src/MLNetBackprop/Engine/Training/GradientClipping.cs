namespace MLNetBackprop.Engine.Training;

/// <summary>Clipping of the flat gradient between backpropagation and the optimizer step.</summary>
internal static class GradientClipping
{
    /// <summary>
    /// Rescales <paramref name="gradient"/> to global L2 norm <paramref name="maxNorm"/> when its norm exceeds it,
    /// and returns the norm before clipping. The norm is accumulated in double.
    /// </summary>
    public static double ClipByGlobalNorm(Span<float> gradient, float maxNorm)
    {
        double squares = 0;
        foreach (var g in gradient)
            squares += (double)g * g;
        var norm = Math.Sqrt(squares);
        if (norm > maxNorm)
        {
            var scale = (float)(maxNorm / norm);
            foreach (ref var g in gradient)
                g *= scale;
        }
        return norm;
    }
}
