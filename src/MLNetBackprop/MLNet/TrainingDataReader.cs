using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.MLNet;

/// <summary>
/// Reads a view's rows into memory in one cursor pass (<see cref="CursorRowReader"/>) through a
/// <see cref="RowCollector"/>: a sparse feature vector costs its non-zeros, never its width, and at the end the rows
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

    /// <summary>
    /// Reads the rows of <paramref name="stream"/> (every row, or its selection's side) with their labels mapped as it
    /// says. <paramref name="sparse"/> forces the storage (a validation set follows its training set's, so one batch
    /// workspace serves both); null chooses it by density. With <paramref name="budgetBytes"/>, the read gives up as
    /// soon as the rows' estimated size (projected over the view's row count when it is known) exceeds it.
    /// </summary>
    public static Result Read(CursorRowStream stream, bool? sparse = null, long? budgetBytes = null)
    {
        // Rows forced sparse never take the dense array a view of known length allows.
        var expectedRows = sparse == true ? null : stream.View.GetRowCount();
        var targetWidth = stream.Columns.TargetWidth;
        var rows = new RowCollector(stream.FeatureCount, stream.HasWeights, expectedRows, budgetBytes ?? long.MaxValue, targetWidth);
        var row = new RowSlots(1, stream.FeatureCount, sparse: true, targetWidth);
        using var reader = stream.OpenReader();
        while (reader.ReadInto(row, 0))
        {
            rows.Add(row, 0);
            // Once a sample's worth of rows is in, their size projected over the view's length is worth checking.
            if (budgetBytes is { } budget && rows.RowCount % SparseRows.DensitySampleRows == 0)
            {
                var projected = rows.PeakBytes(sparse, readRows: Math.Max(rows.RowCount, reader.Row));
                if (projected > budget)
                    return new Result(null, projected, reader);
            }
        }
        var estimate = rows.PeakBytes(sparse);
        return estimate > budgetBytes ? new Result(null, estimate, reader) : new Result(rows.Drain(sparse), estimate, reader);
    }
}
