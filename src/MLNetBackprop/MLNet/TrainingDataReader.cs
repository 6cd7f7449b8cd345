using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.MLNet;

/// <summary>
/// Reads a view's rows into memory in one cursor pass (<see cref="CursorRowReader"/>): the non-zero feature values are
/// collected row by row (so a sparse feature vector costs its non-zeros, never its width), and at the end the rows
/// are kept sparse when their density is below <see cref="SparseRows.DensityThreshold"/> or they are too many for one
/// dense array, and laid out dense otherwise. The read stops early when the rows would take more memory than a budget.
/// </summary>
internal static class TrainingDataReader
{
    /// <summary>
    /// The rows read (null when they would exceed the budget), their estimated size in memory, and the reader (for its
    /// skip counts).
    /// </summary>
    public sealed record Result(TrainingSet? Rows, long EstimatedBytes, CursorRowReader Reader);

    // Rows between checks of the budget; the estimate is projected from the rows read once there are this many.
    private const int BudgetCheckRows = 4096;

    /// <summary>
    /// Reads the rows of <paramref name="stream"/> (every row, or its selection's side) with their labels mapped as it
    /// says. <paramref name="sparse"/> forces the storage (a validation set follows its training set's, so one batch
    /// workspace serves both); null chooses it by density. With <paramref name="budgetBytes"/>, the read gives up as
    /// soon as the rows' estimated size (projected over the view's row count when it is known) exceeds it.
    /// </summary>
    public static Result Read(CursorRowStream stream, bool? sparse = null, long? budgetBytes = null)
    {
        var featureCount = stream.FeatureCount;
        var expectedRows = stream.View.GetRowCount();
        var rows = new NonZeroRows();
        var targets = new GrowableArray<float>();
        var weights = stream.HasWeights ? new GrowableArray<float>() : null;
        var row = new RowSlots(1, featureCount, sparse: true);
        using var reader = stream.OpenReader();
        long estimate = 0;
        while (reader.ReadInto(row, 0))
        {
            rows.Add(row.IndicesOf(0), row.ValuesOf(0));
            targets.Add(row.Targets[0]);
            weights?.Add(row.Weights[0]);
            if (budgetBytes is { } budget && rows.RowCount % BudgetCheckRows == 0)
            {
                estimate = Estimate(rows, featureCount, sparse, Math.Max(rows.RowCount, reader.Row), expectedRows);
                if (estimate > budget)
                    return new Result(null, estimate, reader);
            }
        }
        estimate = Estimate(rows, featureCount, sparse, rows.RowCount, rows.RowCount);
        if (estimate > budgetBytes)
            return new Result(null, estimate, reader);
        var targetArray = targets.ToArray();
        var keepSparse = sparse ?? Density(rows, featureCount) < SparseRows.DensityThreshold;
        // Rows too many for one dense array stay sparse whatever their density: they fit as non-zeros.
        var set = keepSparse || (long)rows.RowCount * featureCount > Array.MaxLength
            ? new TrainingSet(rows.DrainToSparseRows(featureCount), targetArray, weights?.ToArray())
            : new TrainingSet(rows.DrainToDense(featureCount), targetArray, weights?.ToArray(), featureCount);
        return new Result(set, estimate, reader);
    }

    private static double Density(NonZeroRows rows, int featureCount)
        => rows.RowCount == 0 ? 0 : rows.NonZeroCount / ((double)rows.RowCount * featureCount);

    // The peak memory of reading all rows: what is collected, plus the dense array it is laid out into at the end.
    // Projected from the `readRows` cursor rows read so far to `totalRows` when the view's row count is known.
    private static long Estimate(NonZeroRows rows, int featureCount, bool? sparse, long readRows, long? totalRows)
    {
        var scale = totalRows is { } total && readRows > 0 ? Math.Max(1, total / (double)readRows) : 1;
        var collected = rows.ByteCount + rows.RowCount * 2L * sizeof(float);
        var dense = sparse ?? Density(rows, featureCount) < SparseRows.DensityThreshold ? 0 : (long)rows.RowCount * featureCount * sizeof(float);
        return (long)Math.Min(long.MaxValue / 2, (collected + dense) * scale);
    }
}
