using MLNetBackprop.Engine.Model;

namespace MLNetBackprop.Engine.Training;

/// <summary>Decoupled weight decay: shrinks the weights directly instead of adding a penalty to the gradient.</summary>
internal static class WeightDecay
{
    /// <summary>Multiplies every weight (not the biases) by <paramref name="factor"/>.</summary>
    public static void ScaleWeights(NetworkLayout layout, Span<float> parameters, float factor)
    {
        for (var l = 0; l < layout.LayerCount; l++)
            foreach (ref var w in parameters.Slice(layout.WeightOffsets[l], layout.Widths[l] * layout.Widths[l + 1]))
                w *= factor;
    }

    /// <summary>
    /// Multiplies by <paramref name="factor"/> the weights a lazy update changes: of the first layer only the rows
    /// <paramref name="firstLayerRows"/>, of the other layers all.
    /// </summary>
    public static void ScaleWeights(NetworkLayout layout, Span<float> parameters, float factor, ReadOnlySpan<int> firstLayerRows)
    {
        var width = layout.Widths[1];
        foreach (var row in firstLayerRows)
            foreach (ref var w in parameters.Slice(layout.WeightOffsets[0] + row * width, width))
                w *= factor;
        for (var l = 1; l < layout.LayerCount; l++)
            foreach (ref var w in parameters.Slice(layout.WeightOffsets[l], layout.Widths[l] * layout.Widths[l + 1]))
                w *= factor;
    }
}
