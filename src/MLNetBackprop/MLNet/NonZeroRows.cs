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

    /// <summary>The rows collected, <paramref name="width"/> features wide.</summary>
    public SparseRows ToSparseRows(int width) => new(_values.ToArray(), _indices.ToArray(), _rowStarts.ToArray(), width);
}
