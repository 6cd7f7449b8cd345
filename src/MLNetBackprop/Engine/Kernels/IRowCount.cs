namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// A row count fixed when the JIT specialises a kernel for the implementing struct, so the kernel's tests on it fold
/// away and only that many rows of accumulators remain (see <see cref="GemmTileFewRows{TV, TL, TR}"/>).
/// </summary>
internal interface IRowCount
{
    /// <summary>The rows, 1 to <see cref="RowCounts.MaxRows"/>.</summary>
    static abstract int Value { get; }
}
