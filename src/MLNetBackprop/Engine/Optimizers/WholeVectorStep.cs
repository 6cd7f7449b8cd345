using MLNetBackprop.Engine.Kernels;

namespace MLNetBackprop.Engine.Optimizers;

/// <summary>The optimizer step over the whole parameter vector, the usual case.</summary>
internal static class WholeVectorStep
{
    /// <summary>Moves every parameter against <paramref name="gradient"/> (same length as when the optimizer was created).</summary>
    public static void Step(this IOptimizer optimizer, Span<float> parameters, ReadOnlySpan<float> gradient)
        => optimizer.Step(parameters, gradient, [new ParameterRange(0, parameters.Length)]);
}
