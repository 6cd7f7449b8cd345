using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.MLNet;

/// <summary>
/// Feature rows collected as their non-zero values (compressed sparse rows) in blocks that grow without copying, so
/// reading rows into memory never holds two growing copies.
/// </summary>
internal sealed class NonZeroRows
{
    private readonly GrowableArray<float> _values = new();
    private readonly GrowableArray<int> _indices = new();
    private readonly GrowableArray<int> _rowStarts = Started();

    private static GrowableArray<int> Started()
    {
        var starts = new GrowableArray<int>();
        starts.Add(0);
        return starts;
    }

    /// <summary>Appends a row given as its non-zero <paramref name="values"/> at increasing <paramref name="indices"/>.</summary>
    public void Add(ReadOnlySpan<int> indices, ReadOnlySpan<float> values)
    {
        for (var k = 0; k < values.Length; k++)
        {
            _values.Add(values[k]);
            _indices.Add(indices[k]);
        }
        _rowStarts.Add(_values.Count);
    }

    /// <summary>Number of rows collected.</summary>
    public int RowCount => _rowStarts.Count - 1;

    /// <summary>Number of non-zeros collected.</summary>
    public long NonZeroCount => _values.Count;

    /// <summary>Bytes the collected rows take.</summary>
    public long ByteCount => NonZeroCount * (sizeof(float) + sizeof(int)) + (long)_rowStarts.Count * sizeof(int);

    /// <summary>The rows collected, <paramref name="width"/> features wide; the collection is emptied.</summary>
    public SparseRows DrainToSparseRows(int width) => new(_values.Drain(), _indices.Drain(), _rowStarts.Drain(), width);

    /// <summary>
    /// The rows collected as a row-major dense array (huge-page backed where the OS offers it: training reads dense rows
    /// in random order), written straight from the collected blocks; the collection is emptied.
    /// </summary>
    public float[] DrainToDense(int width)
    {
        var dense = RowStoreAllocator.Allocate(checked(RowCount * width));
        DrainInto(dense, width);
        return dense;
    }

    /// <summary>
    /// Writes the rows collected into the first rows of <paramref name="dense"/> (zeroed, row-major,
    /// <paramref name="width"/> wide); the collection is emptied.
    /// </summary>
    public void DrainInto(float[] dense, int width)
    {
        for (var r = 0; r < RowCount; r++)
            for (var k = _rowStarts[r]; k < _rowStarts[r + 1]; k++)
                dense[(long)r * width + _indices[k]] = _values[k];
        _ = _values.Drain();
        _ = _indices.Drain();
        _ = _rowStarts.Drain();
    }
}
