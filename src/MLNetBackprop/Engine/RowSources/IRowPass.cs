namespace MLNetBackprop.Engine.RowSources;

/// <summary>One pass over an <see cref="IRowSource"/>, batch by batch into the workspace it was started with.</summary>
internal interface IRowPass : IDisposable
{
    /// <summary>
    /// Gathers the next batch (up to the workspace's capacity) and returns its row count, 0 when the pass is over,
    /// with the sum of its example weights in <paramref name="weightSum"/>.
    /// </summary>
    int Next(out double weightSum) => Next(int.MaxValue, out weightSum);

    /// <summary>
    /// Gathers the next batch of up to <paramref name="maxRows"/> rows (and the workspace's capacity), as
    /// <see cref="Next(out double)"/> does.
    /// </summary>
    int Next(int maxRows, out double weightSum);
}
