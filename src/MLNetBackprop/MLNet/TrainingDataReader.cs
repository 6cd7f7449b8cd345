using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.MLNet;

/// <summary>
/// Reads the training rows once, through one cursor over only the feature, label and weight columns, for the engine:
/// the non-zero feature values are collected row by row (so a sparse feature vector costs its non-zeros, never its
/// width), and at the end the rows are kept sparse when their density is below
/// <see cref="SparseRows.DensityThreshold"/> or they are too many for one dense array, and laid out dense otherwise. Rows whose features are NaN or
/// infinite, or whose label is missing, are skipped (ML.NET's convention for its trainers) and counted.
/// </summary>
internal static class TrainingDataReader
{
    /// <summary>The rows read and how many were skipped.</summary>
    public sealed record Result(TrainingSet Rows, long SkippedBadFeatures, long SkippedMissingLabel);

    /// <summary>
    /// Reads the rows; <paramref name="sparse"/> forces the storage (a validation set follows its training set's, so
    /// one batch workspace serves both), null chooses it by density.
    /// </summary>
    public static Result Read(IDataView data, DataViewSchema.Column features, DataViewSchema.Column label,
        DataViewSchema.Column? weight, LabelKind labelKind, bool? sparse = null)
    {
        var featureCount = ((VectorDataViewType)features.Type).Size;
        var columns = weight is { } w ? new[] { features, label, w } : new[] { features, label };
        var rows = new NonZeroRows();
        var targets = new GrowableArray<float>();
        var weights = weight is null ? null : new GrowableArray<float>();
        long skippedFeatures = 0, skippedLabel = 0, row = 0;

        using var cursor = data.GetRowCursor(columns);
        var getFeatures = cursor.GetGetter<VBuffer<float>>(features);
        var getTarget = TargetGetter(cursor, label, labelKind);
        var getWeight = weight is { } wc ? cursor.GetGetter<float>(wc) : null;
        var vector = default(VBuffer<float>);
        float target = 0, rowWeight = 1;
        while (cursor.MoveNext())
        {
            row++;
            getTarget(ref target);
            if (float.IsNaN(target)) { skippedLabel++; continue; }
            getFeatures(ref vector);
            if (vector.Length != featureCount)
                throw new InvalidOperationException($"Feature column '{features.Name}' has {vector.Length} values in row {row}, but its type declares {featureCount}.");
            if (!rows.TryAdd(vector, features.Name, row)) { skippedFeatures++; continue; }
            if (getWeight is not null)
            {
                getWeight(ref rowWeight);
                if (!float.IsFinite(rowWeight) || rowWeight < 0)
                    throw new InvalidOperationException(
                        $"Example weight column '{weight!.Value.Name}' has the value {rowWeight} in row {row}; weights must be finite and non-negative.");
                weights!.Add(rowWeight);
            }
            targets.Add(target);
        }
        var targetArray = targets.ToArray();
        // Rows too many for one dense array stay sparse whatever their density: they fit as non-zeros.
        var density = rows.RowCount == 0 ? 0 : rows.NonZeroCount / ((double)rows.RowCount * featureCount);
        var keepSparse = sparse ?? density < SparseRows.DensityThreshold;
        var set = keepSparse || (long)rows.RowCount * featureCount > Array.MaxLength
            ? new TrainingSet(rows.DrainToSparseRows(featureCount), targetArray, weights?.ToArray())
            : new TrainingSet(rows.DrainToDense(featureCount), targetArray, weights?.ToArray(), featureCount);
        return new Result(set, skippedFeatures, skippedLabel);
    }

    /// <summary>A getter that yields the label as the engine's target, NaN for a missing label.</summary>
    private static ValueGetter<float> TargetGetter(DataViewRowCursor cursor, DataViewSchema.Column label, LabelKind kind)
    {
        return kind switch
        {
            LabelKind.Boolean => FromBoolean(cursor.GetGetter<bool>(label)),
            LabelKind.Key => FromKey(cursor.GetGetter<uint>(label)),
            _ => FromSingle(cursor.GetGetter<float>(label)),
        };

        static ValueGetter<float> FromBoolean(ValueGetter<bool> get)
        {
            var value = false;
            return (ref float target) =>
            {
                get(ref value);
                target = value ? 1 : 0;
            };
        }

        // Keys are 1..K with 0 for missing; the engine wants class indices 0..K-1.
        static ValueGetter<float> FromKey(ValueGetter<uint> get)
        {
            var value = 0u;
            return (ref float target) =>
            {
                get(ref value);
                target = value == 0 ? float.NaN : value - 1;
            };
        }

        static ValueGetter<float> FromSingle(ValueGetter<float> get)
        {
            var value = 0f;
            return (ref float target) =>
            {
                get(ref value);
                target = float.IsFinite(value) ? value : float.NaN;
            };
        }
    }
}
