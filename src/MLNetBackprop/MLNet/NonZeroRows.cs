using Microsoft.ML.Data;
using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.MLNet;

/// <summary>
/// Feature rows collected from ML.NET vectors as their non-zero values (compressed sparse rows), whether a vector
/// arrives dense or sparse.
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

    /// <summary>
    /// Appends the row's non-zeros and returns true, or leaves the rows as they were and returns false when a value
    /// is NaN or infinite.
    /// </summary>
    /// <exception cref="InvalidOperationException">A sparse vector's slot indices are not increasing, distinct and within its length.</exception>
    public bool TryAdd(in VBuffer<float> vector, string column, long row)
    {
        var values = vector.GetValues();
        var indices = vector.IsDense ? default : vector.GetIndices();
        var start = _values.Count;
        var previous = -1;
        for (var k = 0; k < values.Length; k++)
        {
            var slot = vector.IsDense ? k : indices[k];
            if (slot < 0 || slot >= vector.Length)
                throw new InvalidOperationException(
                    $"Feature column '{column}' row {row} is a sparse vector with slot {slot}, outside its {vector.Length} slots 0..{vector.Length - 1}. " +
                    "Build the vector with indices below its length.");
            if (slot <= previous)
                throw new InvalidOperationException(
                    $"Feature column '{column}' row {row} is a sparse vector whose slot {slot} comes after slot {previous}; " +
                    "a vector's slot indices must be increasing and distinct. Build the vector with distinct, sorted indices.");
            previous = slot;
            var value = values[k];
            if (!float.IsFinite(value))
            {
                _values.Truncate(start);
                _indices.Truncate(start);
                return false;
            }
            if (value == 0)
                continue;
            _values.Add(value);
            _indices.Add(slot);
        }
        _rowStarts.Add(_values.Count);
        return true;
    }

    /// <summary>Number of rows collected.</summary>
    public int RowCount => _rowStarts.Count - 1;

    /// <summary>Number of non-zeros collected.</summary>
    public long NonZeroCount => _values.Count;

    /// <summary>The rows collected, <paramref name="width"/> features wide; the collection is emptied.</summary>
    public SparseRows DrainToSparseRows(int width) => new(_values.Drain(), _indices.Drain(), _rowStarts.Drain(), width);

    /// <summary>
    /// The rows collected as a row-major dense array (huge-page backed where the OS offers it: training reads dense rows
    /// in random order), written straight from the collected blocks; the collection is emptied.
    /// </summary>
    public float[] DrainToDense(int width)
    {
        var dense = RowStoreAllocator.Allocate(checked(RowCount * width));
        for (var r = 0; r < RowCount; r++)
            for (var k = _rowStarts[r]; k < _rowStarts[r + 1]; k++)
                dense[(long)r * width + _indices[k]] = _values[k];
        _ = _values.Drain();
        _ = _indices.Drain();
        _ = _rowStarts.Drain();
        return dense;
    }
}
