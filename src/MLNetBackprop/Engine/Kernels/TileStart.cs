namespace MLNetBackprop.Engine.Kernels;

/// <summary>How a tile's accumulators start.</summary>
internal enum TileStart
{
    /// <summary>From zero.</summary>
    Zero,
    /// <summary>From the bias row (the same for every row of the tile).</summary>
    Bias,
    /// <summary>From the destination's current values (C += A·B).</summary>
    Accumulate,
}
