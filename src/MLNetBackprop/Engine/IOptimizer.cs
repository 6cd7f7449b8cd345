namespace MLNetBackprop.Engine;

/// <summary>An update rule applied to the whole flat parameter vector after each mini-batch.</summary>
internal interface IOptimizer
{
    /// <summary>Moves <paramref name="parameters"/> against <paramref name="gradient"/> (same length as when the optimizer was created).</summary>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradient);
}
