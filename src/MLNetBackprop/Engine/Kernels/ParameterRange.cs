namespace MLNetBackprop.Engine.Kernels;

/// <summary>A contiguous part of the flat parameter vector: <paramref name="Length"/> parameters from <paramref name="Start"/> on.</summary>
internal readonly record struct ParameterRange(int Start, int Length);
