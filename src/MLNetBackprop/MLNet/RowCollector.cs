using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.MLNet;

/// <summary>
/// Rows collected into memory one at a time, as their non-zeros with their targets and weights, until they are laid
/// out as a <see cref="TrainingSet"/>: dense, or sparse when their density is below
/// <see cref="SparseRows.DensityThreshold"/> (or the caller says so), or when they are too many for one dense array.
/// </summary>
internal sealed class RowCollector(int featureCount, bool weighted)
{
    private readonly NonZeroRows _rows = new();
    private readonly GrowableArray<float> _targets = new();
    private readonly GrowableArray<float>? _weights = weighted ? new() : null;

    /// <summary>Number of rows collected.</summary>
    public int RowCount => _rows.RowCount;

    /// <summary>Adds the row in slot <paramref name="slot"/> of sparse <paramref name="rows"/>.</summary>
    public void Add(RowSlots rows, int slot)
    {
        _rows.Add(rows.IndicesOf(slot), rows.ValuesOf(slot));
        _targets.Add(rows.Targets[slot]);
        _weights?.Add(rows.Weights[slot]);
    }

    /// <summary>Stored values over all cells.</summary>
    public double Density => RowCount == 0 ? 0 : _rows.NonZeroCount / ((double)RowCount * featureCount);

    /// <summary>
    /// The peak memory of laying the rows out as storage <paramref name="sparse"/> (null: by density): what is
    /// collected, plus the dense array when they become dense.
    /// </summary>
    public long PeakBytes(bool? sparse)
    {
        var collected = _rows.ByteCount + RowCount * 2L * sizeof(float);
        var dense = sparse ?? Density < SparseRows.DensityThreshold ? 0 : (long)RowCount * featureCount * sizeof(float);
        return collected + dense;
    }

    /// <summary>The rows collected, stored <paramref name="sparse"/> (null: by density); the collector is emptied.</summary>
    public TrainingSet Drain(bool? sparse)
    {
        var targets = _targets.ToArray();
        var weights = _weights?.ToArray();
        var keepSparse = sparse ?? Density < SparseRows.DensityThreshold;
        // Rows too many for one dense array stay sparse whatever their density: they fit as non-zeros.
        return keepSparse || (long)RowCount * featureCount > Array.MaxLength
            ? new TrainingSet(_rows.DrainToSparseRows(featureCount), targets, weights)
            : new TrainingSet(_rows.DrainToDense(featureCount), targets, weights, featureCount);
    }
}
