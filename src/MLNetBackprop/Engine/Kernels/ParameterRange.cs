namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// A contiguous part of the flat parameter vector: <paramref name="Length"/> parameters from <paramref name="Start"/>
/// on, whose gradient lies from <see cref="GradientStart"/> on in the gradient vector (by default at the same place).
/// </summary>
internal readonly record struct ParameterRange(int Start, int Length)
{
    /// <summary>Where the range's gradient starts: <see cref="Start"/> unless the gradient is stored compactly elsewhere.</summary>
    public int GradientStart { get; init; } = Start;
}
