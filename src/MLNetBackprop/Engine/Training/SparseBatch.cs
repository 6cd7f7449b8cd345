using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// A batch of sparse rows gathered into contiguous CSR buffers, and the distinct features the batch uses in increasing
/// order: the rows of the first layer's weights that its forward pass reads and its backward pass writes. The buffers
/// grow to the largest batch seen and are then reused.
/// </summary>
internal sealed class SparseBatch
{
    private float[] _values = new float[1024];
    private int[] _indices = new int[1024];
    private readonly int[] _rowStarts;
    private readonly int[] _lastBatchOf;
    private readonly int[] _positionOf;
    private int[] _features = new int[1024];
    private int _batch;

    /// <summary>Buffers for batches of up to <paramref name="capacity"/> rows of <paramref name="width"/> features.</summary>
    public SparseBatch(int capacity, int width)
    {
        _rowStarts = new int[capacity + 1];
        _lastBatchOf = new int[width];
        _positionOf = new int[width];
    }

    /// <summary>Number of rows gathered.</summary>
    public int RowCount { get; private set; }

    /// <summary>The distinct features of the gathered rows, increasing.</summary>
    public ReadOnlySpan<int> Features => _features.AsSpan(0, FeatureCount);

    /// <summary>For each feature of <see cref="Features"/>, its position there (other entries are stale).</summary>
    public ReadOnlySpan<int> PositionOf => _positionOf;

    /// <summary>Number of distinct features of the gathered rows.</summary>
    public int FeatureCount { get; private set; }

    /// <summary>The gathered rows.</summary>
    public CsrSpan Rows => new(_values, _indices, _rowStarts.AsSpan(0, RowCount + 1));

    /// <summary>The feature indices of gathered row <paramref name="row"/>.</summary>
    public ReadOnlySpan<int> IndicesOf(int row) => _indices.AsSpan(_rowStarts[row], _rowStarts[row + 1] - _rowStarts[row]);

    /// <summary>The values of gathered row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> ValuesOf(int row) => _values.AsSpan(_rowStarts[row], _rowStarts[row + 1] - _rowStarts[row]);

    /// <summary>Scales the gathered rows' values by an uncentered <paramref name="scaling"/>.</summary>
    public void Scale(InputScaling scaling)
    {
        var count = _rowStarts[RowCount];
        scaling.ApplySparse(_indices.AsSpan(0, count), _values.AsSpan(0, count));
    }

    /// <summary>Copies the rows <paramref name="rowIndices"/> of <paramref name="source"/> in that order and collects their features.</summary>
    public void Gather<TRows>(TRows source, ReadOnlySpan<int> rowIndices) where TRows : ISparseRows
    {
        if (rowIndices.Length >= _rowStarts.Length)
            throw new ArgumentException($"A batch of {rowIndices.Length} rows exceeds the capacity {_rowStarts.Length - 1}.");
        long total = 0;
        foreach (var row in rowIndices)
            total += source.IndicesOf(row).Length;
        Reserve(ref _values, total);
        Reserve(ref _indices, total);
        var batch = NextBatchStamp();
        var distinct = 0;
        var at = 0;
        for (var i = 0; i < rowIndices.Length; i++)
        {
            var indices = source.IndicesOf(rowIndices[i]);
            source.ValuesOf(rowIndices[i]).CopyTo(_values.AsSpan(at));
            indices.CopyTo(_indices.AsSpan(at));
            at += indices.Length;
            _rowStarts[i + 1] = at;
            foreach (var feature in indices)
            {
                if (_lastBatchOf[feature] == batch)
                    continue;
                _lastBatchOf[feature] = batch;
                if (distinct == _features.Length)
                    Array.Resize(ref _features, distinct * 2);
                _features[distinct++] = feature;
            }
        }
        RowCount = rowIndices.Length;
        FeatureCount = distinct;
        _features.AsSpan(0, distinct).Sort();
        for (var k = 0; k < distinct; k++)
            _positionOf[_features[k]] = k;
    }

    // A number no feature's stamp holds yet; the stamps are cleared when the counter wraps.
    private int NextBatchStamp()
    {
        if (++_batch == int.MaxValue)
        {
            Array.Clear(_lastBatchOf);
            _batch = 1;
        }
        return _batch;
    }

    private static void Reserve<T>(ref T[] buffer, long length)
    {
        if (length > buffer.Length)
            Array.Resize(ref buffer, (int)Math.Min(Array.MaxLength, Math.Max(length, 2L * buffer.Length)));
    }
}
