using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.MLNet;

/// <summary>
/// Rows collected into memory one at a time, with their targets and weights, until they are laid out as a
/// <see cref="TrainingSet"/>: dense, or sparse when their density is below <see cref="SparseRows.DensityThreshold"/>
/// (or the caller says so), or when they are too many for one dense array.
/// </summary>
/// <remarks>
/// Rows are collected as their non-zeros, whatever their density, so a sparse vector costs its non-zeros. When the
/// view says how many rows it has and the first ones are dense, the rows go straight into a dense array of that many
/// rows instead, so reading dense rows takes their dense size once rather than their non-zeros plus the dense copy.
/// Either way the rows laid out are the same.
/// </remarks>
internal sealed class RowCollector
{
    private readonly int _featureCount;
    private readonly int _targetWidth;
    private readonly long? _expectedRows;
    private readonly long _budgetBytes;
    private readonly NonZeroRows _rows = new();
    private readonly GrowableArray<float> _targets = new();
    private readonly GrowableArray<float>? _weights;
    private float[]? _dense;
    private int _denseRows;
    private long _denseNonZeros;

    /// <summary>
    /// A collector of rows of <paramref name="featureCount"/> features (with weights when <paramref name="weighted"/>)
    /// from a view of <paramref name="expectedRows"/> rows when it says, which may take a dense array of them only
    /// within <paramref name="budgetBytes"/>, with <paramref name="targetWidth"/> targets per row.
    /// </summary>
    public RowCollector(int featureCount, bool weighted, long? expectedRows = null, long budgetBytes = long.MaxValue, int targetWidth = 1)
    {
        _featureCount = featureCount;
        _targetWidth = targetWidth;
        _expectedRows = expectedRows;
        _budgetBytes = budgetBytes;
        _weights = weighted ? new() : null;
    }

    /// <summary>Number of rows collected.</summary>
    public int RowCount => _dense is null ? _rows.RowCount : _denseRows;

    /// <summary>Stored values over all cells.</summary>
    public double Density => SparseRows.DensityOf(_rows.NonZeroCount + _denseNonZeros, RowCount, _featureCount);

    /// <summary>Adds the row in slot <paramref name="slot"/> of sparse <paramref name="rows"/>.</summary>
    public void Add(RowSlots rows, int slot)
    {
        if (_dense is null)
            _rows.Add(rows.IndicesOf(slot), rows.ValuesOf(slot));
        else
            AddDense(rows.IndicesOf(slot), rows.ValuesOf(slot));
        foreach (var target in rows.TargetsOf(slot))
            _targets.Add(target);
        _weights?.Add(rows.Weights[slot]);
        if (_dense is null && _expectedRows is { } expected && RowCount == Math.Min(SparseRows.DensitySampleRows, expected))
            TryCollectDense(expected);
    }

    /// <summary>
    /// The peak memory of laying the rows out as storage <paramref name="sparse"/> (null: by density): what is
    /// collected, plus the dense array when they become dense. With <paramref name="readRows"/> cursor rows read so far,
    /// projected over the view's row count when it is known.
    /// </summary>
    public long PeakBytes(bool? sparse, long? readRows = null)
    {
        var scale = readRows is { } read && _expectedRows is { } total && read > 0 ? Math.Max(1, total / (double)read) : 1;
        var rowBytes = RowCount * 2L * sizeof(float);
        var keepSparse = sparse ?? SparseRows.TrainsSparse(Density);
        // Dense rows of a view of known length would be read straight into their dense array.
        if (_dense is null && readRows is not null && _expectedRows is { } rows && !keepSparse && rows * _featureCount <= Array.MaxLength)
            return rows * (_featureCount * (long)sizeof(float) + 2 * sizeof(float));
        double bytes = _dense is not null
            // The dense array already has its final size; laid out sparse, the non-zeros come on top of it.
            ? _dense.LongLength * sizeof(float) + scale * (rowBytes + (keepSparse ? _denseNonZeros * 8 : 0))
            : scale * (_rows.ByteCount + rowBytes + (keepSparse ? 0 : (long)RowCount * _featureCount * sizeof(float)));
        return (long)Math.Min(long.MaxValue / 2, bytes);
    }

    /// <summary>The rows collected, stored <paramref name="sparse"/> (null: by density); the collector is emptied.</summary>
    public TrainingSet Drain(bool? sparse)
    {
        var targets = _targets.ToArray();
        var weights = _weights?.ToArray();
        var keepSparse = sparse ?? SparseRows.TrainsSparse(Density);
        if (_dense is { } dense)
        {
            var cells = (int)((long)RowCount * _featureCount);
            _dense = null;
            if (keepSparse)
                return new TrainingSet(SparseRows.FromDense(dense.AsSpan(0, cells), _featureCount), targets, weights, _targetWidth);
            if (cells != dense.Length)
            {
                // The view gave fewer rows than it said (some were skipped): the set takes an array of its own length.
                var exact = RowStoreAllocator.Allocate(cells);
                dense.AsSpan(0, cells).CopyTo(exact);
                dense = exact;
            }
            return new TrainingSet(dense, targets, weights, _featureCount, _targetWidth);
        }
        // Rows too many for one dense array stay sparse whatever their density: they fit as non-zeros.
        return keepSparse || (long)RowCount * _featureCount > Array.MaxLength
            ? new TrainingSet(_rows.DrainToSparseRows(_featureCount), targets, weights, _targetWidth)
            : new TrainingSet(_rows.DrainToDense(_featureCount), targets, weights, _featureCount, _targetWidth);
    }

    // Dense rows from a view of known length go straight into their final array, when it fits the budget.
    private void TryCollectDense(long expectedRows)
    {
        var cells = expectedRows * _featureCount;
        if (SparseRows.TrainsSparse(Density) || cells > Array.MaxLength || cells * sizeof(float) + expectedRows * 8 > _budgetBytes)
            return;
        var dense = RowStoreAllocator.Allocate((int)cells);
        _denseRows = _rows.RowCount;
        _denseNonZeros = _rows.NonZeroCount;
        _rows.DrainInto(dense, _featureCount);
        _dense = dense;
    }

    private void AddDense(ReadOnlySpan<int> indices, ReadOnlySpan<float> values)
    {
        if ((long)(_denseRows + 1) * _featureCount > _dense!.Length)
            Array.Resize(ref _dense, (int)Math.Min(Array.MaxLength / _featureCount * (long)_featureCount, 2L * _dense.Length)); // the view gave more rows than it said
        var row = _dense.AsSpan(_denseRows * _featureCount, _featureCount);
        for (var k = 0; k < indices.Length; k++)
            row[indices[k]] = values[k];
        _denseRows++;
        _denseNonZeros += values.Length;
    }
}
