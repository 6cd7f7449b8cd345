using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;

namespace MLNetBackprop.Engine.Training;

/// <summary>Decoupled weight decay: shrinks the weights directly instead of adding a penalty to the gradient.</summary>
internal static class WeightDecay
{
    /// <summary>
    /// Multiplies by <paramref name="factor"/> the first layer's weights in <paramref name="firstLayerRanges"/> (all of
    /// them, or a lazy update's rows) and every weight of the other layers; never the biases.
    /// </summary>
    public static void ScaleWeights(NetworkLayout layout, Span<float> parameters, float factor, ReadOnlySpan<ParameterRange> firstLayerRanges)
    {
        foreach (var range in firstLayerRanges)
            Scale(parameters, range, factor);
        for (var l = 1; l < layout.LayerCount; l++)
            Scale(parameters, layout.Weights(l), factor);
    }

    private static void Scale(Span<float> parameters, ParameterRange range, float factor)
    {
        foreach (ref var w in parameters.Slice(range.Start, range.Length))
            w *= factor;
    }
}
