namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// One sparse row times a dense matrix: z = bias + Σ values[k]·W[indices[k], :], touching only the rows of W that
/// the row's non-zeros select, so a row costs O(non-zeros × n) whatever the input width.
/// </summary>
/// <remarks>
/// Every output is the FMA chain of the dense product (<see cref="MatrixMultiply"/>) with the zero inputs left out,
/// and a zero input adds exactly nothing to such a chain (for finite weights), so a sparse row gives the bits its
/// dense copy gives, including the two halves of a split first layer (<see cref="SplitInputProduct"/>).
/// </remarks>
internal static class SparseRowProduct
{
    // Weight rows requested ahead of the one being added: the rows a sparse row selects are scattered over W.
    private const int PrefetchDistance = 6;

    /// <summary>
    /// z[n] = bias + x·w for the sparse row x (strictly increasing <paramref name="indices"/> with their
    /// <paramref name="values"/>) and the row-major w[k × n]; with <paramref name="splitPoint"/> &gt; 0, as
    /// (bias + the inputs below it) + (the inputs from it on), summed in <paramref name="scratch"/> (length n).
    /// </summary>
    public static void MultiplyAddBias(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> w,
        ReadOnlySpan<float> bias, Span<float> z, int n, int splitPoint, Span<float> scratch)
    {
        var output = z[..n];
        bias[..n].CopyTo(output);
        var k = 0;
        for (; k < indices.Length && (splitPoint == 0 || indices[k] < splitPoint); k++)
        {
            if (k + PrefetchDistance < indices.Length)
                CachePrefetch.Floats(w, indices[k + PrefetchDistance] * n, n);
            VectorOps.FusedAxpy(values[k], w.Slice(indices[k] * n, n), output);
        }
        if (splitPoint == 0)
            return;
        var second = scratch[..n];
        second.Clear();
        for (; k < indices.Length; k++)
        {
            if (k + PrefetchDistance < indices.Length)
                CachePrefetch.Floats(w, indices[k + PrefetchDistance] * n, n);
            VectorOps.FusedAxpy(values[k], w.Slice(indices[k] * n, n), second);
        }
        for (var j = 0; j < n; j++)
            output[j] += second[j];
    }
}
