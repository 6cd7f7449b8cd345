using MLNetBackprop.Engine.Kernels;

namespace MLNetBackprop.Engine.Optimizers;

/// <summary>An update rule applied to the whole flat parameter vector after each mini-batch.</summary>
internal interface IOptimizer
{
    /// <summary>The step size of the next <see cref="Step"/>; the schedule sets it before every epoch.</summary>
    float LearningRate { get; set; }

    /// <summary>
    /// Moves <paramref name="parameters"/> against <paramref name="gradient"/> (same length as when the optimizer was
    /// created), but only the parameters in <paramref name="ranges"/> (increasing, not overlapping), with their
    /// moments; the rest, and their moments, stay as they are. The step counter advances once.
    /// </summary>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradient, ReadOnlySpan<ParameterRange> ranges);

    /// <summary>Writes the moments and counters (not the settings) for a checkpoint.</summary>
    void SaveState(BinaryWriter writer);

    /// <summary>Restores what <see cref="SaveState"/> wrote.</summary>
    void LoadState(BinaryReader reader);
}
