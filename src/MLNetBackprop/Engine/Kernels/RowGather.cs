namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// Copies chosen rows of a row-major matrix into a contiguous batch, split across cores for large batches
/// (the rows come from anywhere in a large training set, so the copy waits on memory and two cores fetch faster).
/// </summary>
internal sealed unsafe class RowGather : IKernelJob
{
    // Below about 64K floats (a 256 KB batch) one core copies faster than a fork.
    private const int ParallelThreshold = 64 * 1024;

    [ThreadStatic] private static RowGather? _perThread;

    private float* _source, _destination;
    private int* _rows;
    private int _count, _width;

    /// <summary>destination[i·width ..] = source[rows[i]·width ..] for each i; rows must index whole rows of source.</summary>
    public static void Copy(ReadOnlySpan<float> source, int width, ReadOnlySpan<int> rows, Span<float> destination)
    {
        if (destination.Length < (long)rows.Length * width)
            throw new ArgumentException("destination is too small for the rows.", nameof(destination));
        foreach (var row in rows)
            if ((uint)row >= (uint)(source.Length / width))
                throw new ArgumentOutOfRangeException(nameof(rows), row, "Row index outside the source.");
        var parts = (long)rows.Length * width < ParallelThreshold ? 1 : KernelThreads.ThreadCount;
        fixed (float* s = source, d = destination)
        fixed (int* r = rows)
        {
            var job = _perThread ??= new RowGather();
            job._source = s;
            job._destination = d;
            job._rows = r;
            job._count = rows.Length;
            job._width = width;
            KernelThreads.Run(job, parts);
            job._source = job._destination = null; // the buffers are unpinned from here on
            job._rows = null;
        }
    }

    /// <inheritdoc/>
    public void Execute(int part, int parts)
    {
        var first = _count * part / parts;
        var end = _count * (part + 1) / parts;
        for (var i = first; i < end; i++)
        {
            if (i + PrefetchDistance < end)
                CachePrefetch.Floats(_source + (long)_rows[i + PrefetchDistance] * _width, _width);
            new ReadOnlySpan<float>(_source + (long)_rows[i] * _width, _width)
                .CopyTo(new Span<float>(_destination + (long)i * _width, _width));
        }
    }

    // Rows ahead whose cache lines are requested before the copy reaches them. The hardware prefetcher only follows
    // a row once the copy walks it, so without hints each row starts with a full memory latency; with them several
    // rows are in flight at once.
    private const int PrefetchDistance = 8;
}
