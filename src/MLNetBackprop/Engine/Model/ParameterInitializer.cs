using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Randomness;

namespace MLNetBackprop.Engine.Model;

/// <summary>
/// Random starting weights. Each layer draws its weights uniformly from ±limit: He-uniform, limit = √(6/fanIn), for
/// layers followed by ReLU or leaky ReLU (they zero about half their inputs, so the variance is doubled), and
/// Glorot-uniform, limit = √(6/(fanIn+fanOut)), for every other activation and for the output layer. Biases start at
/// zero: the random weights already break the symmetry between units.
/// </summary>
internal static class ParameterInitializer
{
    /// <summary>Fills <paramref name="parameters"/> for <paramref name="layout"/>, layer by layer, drawing from <paramref name="random"/>.</summary>
    public static void Initialize(NetworkLayout layout, Span<float> parameters, SeededRandom random)
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
    }

    /// <summary>Half-width of the uniform weight distribution of a layer followed by <paramref name="activation"/>.</summary>
    public static double WeightLimit(ActivationKind activation, int fanIn, int fanOut)
        => activation is ActivationKind.Relu or ActivationKind.LeakyRelu
            ? Math.Sqrt(6.0 / fanIn)
            : Math.Sqrt(6.0 / (fanIn + fanOut));
}
