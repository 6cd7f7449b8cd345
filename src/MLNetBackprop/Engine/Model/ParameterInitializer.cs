using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Randomness;

namespace MLNetBackprop.Engine.Model;

/// <summary>
/// Random starting weights. Each layer draws its weights uniformly from ±limit: He-uniform, limit = √(6/fanIn), for
/// layers followed by ReLU or leaky ReLU (they zero about half their inputs, so the variance is doubled), and
/// Glorot-uniform, limit = √(6/(fanIn+fanOut)), for every other activation and for the output layer. Biases start at
/// zero: the random weights already break the symmetry between units. Inputs added by a numeric encoding start with
/// zero weights.
/// </summary>
internal static class ParameterInitializer
{
    /// <summary>
    /// Fills <paramref name="parameters"/> for <paramref name="layout"/>, layer by layer, drawing from
    /// <paramref name="random"/>; the first layer's weights from inputs <paramref name="firstEncodedInput"/> on (those
    /// a numeric encoding adds; default: none) are drawn too, keeping the random sequence, and then set to zero.
    /// </summary>
    /// <remarks>
    /// Zero weights make an encoding network start as the network of its features alone; the bins' weights then grow
    /// only as far as the data pulls them, so a small, smooth data set does not fit noise through its many bins.
    /// </remarks>
    public static void Initialize(NetworkLayout layout, Span<float> parameters, SeededRandom random, int firstEncodedInput = int.MaxValue)
    {
        if (parameters.Length != layout.ParameterCount)
            throw new ArgumentException($"The layout needs {layout.ParameterCount} parameters but the buffer holds {parameters.Length}.");
        for (var l = 0; l < layout.LayerCount; l++)
        {
            var fanIn = layout.Widths[l];
            var fanOut = layout.Widths[l + 1];
            var isHidden = l < layout.LayerCount - 1;
            var limit = (float)WeightLimit(isHidden ? layout.HiddenActivation : ActivationKind.Identity, fanIn, fanOut);
            foreach (ref var w in parameters.Slice(layout.WeightOffsets[l], fanIn * fanOut))
                w = (2f * random.NextFloat() - 1f) * limit;
            parameters.Slice(layout.BiasOffsets[l], fanOut).Clear();
        }
        if (firstEncodedInput < layout.InputCount)
        {
            var width = layout.Widths[1];
            parameters.Slice(layout.WeightOffsets[0] + firstEncodedInput * width, (layout.InputCount - firstEncodedInput) * width).Clear();
        }
    }

    /// <summary>Half-width of the uniform weight distribution of a layer followed by <paramref name="activation"/>.</summary>
    public static double WeightLimit(ActivationKind activation, int fanIn, int fanOut)
        => activation is ActivationKind.Relu or ActivationKind.LeakyRelu
            ? Math.Sqrt(6.0 / fanIn)
            : Math.Sqrt(6.0 / (fanIn + fanOut));
}
