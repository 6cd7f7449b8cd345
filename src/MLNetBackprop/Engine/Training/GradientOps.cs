using MLNetBackprop.Engine.Model;


namespace MLNetBackprop.Engine.Training;

/// <summary>In-place operations on the flat gradient and parameters between backpropagation and the optimizer step.</summary>
internal static class GradientOps
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

    /// <summary>Decoupled weight decay: multiplies every weight (not the biases) by <paramref name="factor"/>.</summary>
    public static void ScaleWeights(NetworkLayout layout, Span<float> parameters, float factor)
    {
        for (var l = 0; l < layout.LayerCount; l++)
            foreach (ref var w in parameters.Slice(layout.WeightOffsets[l], layout.Widths[l] * layout.Widths[l + 1]))
                w *= factor;
    }
}
