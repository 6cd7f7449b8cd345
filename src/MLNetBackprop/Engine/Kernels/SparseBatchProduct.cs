namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// The first layer's two products for a batch of sparse rows (<see cref="CsrSpan"/>),
/// costing O(non-zeros × n) whatever the input width: the forward Z = X·W + b row by row
/// (<see cref="SparseRowProduct"/>), and the weight gradient Xᵀ·dZ into only the rows of W whose features occur.
/// Both split across the kernel threads so that every output is computed by the same operations in the same order
/// whatever the thread count: rows for the forward product, feature ranges for the gradient.
/// </summary>
internal sealed unsafe class SparseBatchProduct : IKernelJob
{
    // Below about this many multiply-adds one core is faster than a fork.
    private const long ParallelThreshold = 64 * 1024;

    // Gradient rows requested ahead of the one being added to: a row's features are scattered over the gradient.
    private const int PrefetchDistance = 6;

    [ThreadStatic] private static SparseBatchProduct? _perThread;

    private float* _values, _w, _bias, _z, _activated, _dz;
    private int* _indices, _rowStarts, _features, _rowOf;
    private int _rows, _n, _splitPoint, _featureCount, _wLength;
    private ActivationKind _activation;
    private bool _gradient;
    private float[][] _scratch = [];

    /// <summary>
    /// z[rows × n] = x·w + bias for the sparse rows <paramref name="x"/> and the row-major w[width × n], bit for bit what the dense
    /// product gives for the rows made dense (<see cref="SparseRowProduct"/>, with the same
    /// <paramref name="splitPoint"/>); when <paramref name="activated"/> is not empty it also receives f(z).
    /// </summary>
    public static void MultiplyAddBias(CsrSpan x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> z, int n, int splitPoint,
        ActivationKind activation = ActivationKind.Identity, Span<float> activated = default)
    {
        var rows = x.RowCount;
        if (z.Length < (long)rows * n || bias.Length < n
            || (!activated.IsEmpty && activated.Length < (long)rows * n))
            throw new ArgumentException($"Buffers too small for {rows} sparse rows of a layer {n} wide.");
        var job = Prepare(n);
        var work = (long)x.RowStarts[rows] * n;
        fixed (float* pv = x.Values, pw = w, pb = bias, pz = z, pa = activated)
        fixed (int* pi = x.Indices, ps = x.RowStarts)
        {
            job._values = pv;
            job._indices = pi;
            job._rowStarts = ps;
            job._w = pw;
            job._bias = pb;
            job._z = pz;
            job._activated = activated.IsEmpty ? null : pa;
            (job._rows, job._n, job._splitPoint, job._activation, job._gradient) = (rows, n, splitPoint, activation, false);
            job._wLength = w.Length;
            Run(job, work);
        }
    }

    /// <summary>
    /// dw[f, :] = Σ_r x[r, f]·dz[r, :] for each feature f in <paramref name="features"/> (distinct, increasing: the
    /// features the rows use), summed from zero in row order; the other rows of dw are not touched. With a
    /// <paramref name="rowOf"/> map (indexed by feature), feature f's sum goes to row rowOf[f] instead.
    /// </summary>
    public static void MultiplyTransposedA(CsrSpan x, ReadOnlySpan<float> dz, int n, ReadOnlySpan<int> features,
        ReadOnlySpan<int> rowOf, Span<float> dw)
    {
        var rows = x.RowCount;
        if (dz.Length < (long)rows * n)
            throw new ArgumentException($"Buffers too small for {rows} sparse rows of a layer {n} wide.");
        var lastRow = features.IsEmpty ? -1 : rowOf.IsEmpty ? features[^1] : rowOf[features[^1]];
        if (dw.Length < ((long)lastRow + 1) * n || (!rowOf.IsEmpty && features.Length > 0 && rowOf.Length <= features[^1]))
            throw new ArgumentException($"The gradient has no row for feature {(features.IsEmpty ? 0 : features[^1])}.", nameof(dw));
        var job = Prepare(n);
        var work = (long)x.RowStarts[rows] * n;
        fixed (float* pv = x.Values, pdz = dz, pdw = dw)
        fixed (int* pi = x.Indices, ps = x.RowStarts, pf = features, pr = rowOf)
        {
            job._rowOf = rowOf.IsEmpty ? null : pr;
            job._values = pv;
            job._indices = pi;
            job._rowStarts = ps;
            job._dz = pdz;
            job._w = pdw;
            job._features = pf;
            (job._rows, job._n, job._featureCount, job._gradient) = (rows, n, features.Length, true);
            Run(job, work);
        }
    }

    private static SparseBatchProduct Prepare(int n)
    {
        var job = _perThread ??= new SparseBatchProduct();
        if (job._scratch.Length < KernelThreads.MaxThreads || job._scratch[0].Length < n)
            job._scratch = Enumerable.Range(0, KernelThreads.MaxThreads).Select(_ => new float[n]).ToArray();
        return job;
    }

    private static void Run(SparseBatchProduct job, long work)
    {
        try
        {
            KernelThreads.Run(job, work < ParallelThreshold ? 1 : KernelThreads.ThreadCount);
        }
        finally
        {
            job._values = job._w = job._bias = job._z = job._activated = job._dz = null; // unpinned from here on
            job._indices = job._rowStarts = job._features = job._rowOf = null;
        }
    }

    /// <inheritdoc/>
    public void Execute(int part, int parts)
    {
        if (_gradient)
            GradientPart(part, parts);
        else
            ForwardPart(part, parts);
    }

    private void ForwardPart(int part, int parts)
    {
        var (start, end) = TileRows.Part(_rows, part, parts);
        var n = _n;
        var w = new ReadOnlySpan<float>(_w, _wLength);
        var bias = new ReadOnlySpan<float>(_bias, n);
        var scratch = _scratch[part];
        for (var r = start; r < end; r++)
        {
            var (from, to) = (_rowStarts[r], _rowStarts[r + 1]);
            var z = new Span<float>(_z + (long)r * n, n);
            SparseRowProduct.MultiplyAddBias(new ReadOnlySpan<int>(_indices + from, to - from),
                new ReadOnlySpan<float>(_values + from, to - from), w, bias, z, n, _splitPoint, scratch);
            if (_activated != null)
                Activations.Forward(_activation, z, new Span<float>(_activated + (long)r * n, n));
        }
    }

    // Part p owns the features from its share of the distinct-feature list: it clears their gradient rows and adds
    // each row's contributions to them, rows in order.
    private void GradientPart(int part, int parts)
    {
        var first = (int)((long)_featureCount * part / parts);
        var last = (int)((long)_featureCount * (part + 1) / parts);
        if (first >= last)
            return;
        var n = _n;
        for (var k = first; k < last; k++)
            new Span<float>(_w + (long)RowOf(_features[k]) * n, n).Clear();
        var (low, high) = (_features[first], _features[last - 1]);
        for (var r = 0; r < _rows; r++)
        {
            var (from, to) = (_rowStarts[r], _rowStarts[r + 1]);
            var indices = new ReadOnlySpan<int>(_indices + from, to - from);
            var k = parts == 1 ? 0 : LowerBound(indices, low);
            var dz = new ReadOnlySpan<float>(_dz + (long)r * n, n);
            for (; k < indices.Length && indices[k] <= high; k++)
            {
                if (k + PrefetchDistance < indices.Length)
                    CachePrefetch.Floats(_w + (long)RowOf(indices[k + PrefetchDistance]) * n, n);
                VectorOps.FusedAxpy(_values[from + k], dz, new Span<float>(_w + (long)RowOf(indices[k]) * n, n));
            }
        }
    }

    private int RowOf(int feature) => _rowOf == null ? feature : _rowOf[feature];

    private static int LowerBound(ReadOnlySpan<int> sorted, int value)
    {
        var index = sorted.BinarySearch(value);
        return index >= 0 ? index : ~index;
    }
}
