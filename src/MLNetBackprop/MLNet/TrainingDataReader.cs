using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.MLNet;

/// <summary>
/// Reads the training rows once, through one cursor over only the feature, label and weight columns, into
/// contiguous arrays for the engine. Rows whose features are NaN or infinite, or whose label is missing, are
/// skipped (ML.NET's convention for its trainers) and counted.
/// </summary>
internal static class TrainingDataReader
{
    /// <summary>The rows read and how many were skipped.</summary>
    public sealed record Result(TrainingSet Rows, long SkippedBadFeatures, long SkippedMissingLabel);

    public static Result Read(IDataView data, DataViewSchema.Column features, DataViewSchema.Column label,
        DataViewSchema.Column? weight, LabelKind labelKind)
    {
        var featureCount = ((VectorDataViewType)features.Type).Size;
        var columns = weight is { } w ? new[] { features, label, w } : new[] { features, label };
        var capacity = (int)Math.Clamp(data.GetRowCount() ?? 1024, 16, 1 << 24);
        var featureValues = new GrowableArray(capacity * featureCount);
        var targets = new GrowableArray(capacity);
        var weights = weight is null ? null : new GrowableArray(capacity);
        long skippedFeatures = 0, skippedLabel = 0, row = 0;

        using var cursor = data.GetRowCursor(columns);
        var getFeatures = cursor.GetGetter<VBuffer<float>>(features);
        var getTarget = TargetGetter(cursor, label, labelKind);
        var getWeight = weight is { } wc ? cursor.GetGetter<float>(wc) : null;
        var vector = default(VBuffer<float>);
        float target = 0, rowWeight = 1;
        var dense = new float[featureCount];
        while (cursor.MoveNext())
        {
            row++;
            getTarget(ref target);
            if (float.IsNaN(target)) { skippedLabel++; continue; }
            getFeatures(ref vector);
            if (vector.Length != featureCount)
                throw new InvalidOperationException($"Feature column '{features.Name}' has {vector.Length} values in row {row}, but its type declares {featureCount}.");
            vector.CopyTo(dense);
            if (!AllFinite(dense)) { skippedFeatures++; continue; }
            if (getWeight is not null)
            {
                getWeight(ref rowWeight);
                if (!float.IsFinite(rowWeight) || rowWeight < 0)
                    throw new InvalidOperationException(
                        $"Example weight column '{weight!.Value.Name}' has the value {rowWeight} in row {row}; weights must be finite and non-negative.");
                weights!.Add(rowWeight);
            }
            featureValues.AddRange(dense);
            targets.Add(target);
        }
        var set = new TrainingSet(featureValues.ToArray(), targets.ToArray(), weights?.ToArray(), featureCount);
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

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
            if (!float.IsFinite(v))
                return false;
        return true;
    }

    /// <summary>A float list without the per-element overhead of <see cref="List{T}"/>.</summary>
    private sealed class GrowableArray(int capacity)
    {
        private float[] _items = new float[Math.Max(capacity, 16)];
        private int _count;

        public void Add(float value)
        {
            Reserve(1);
            _items[_count++] = value;
        }

        public void AddRange(ReadOnlySpan<float> values)
        {
            Reserve(values.Length);
            values.CopyTo(_items.AsSpan(_count));
            _count += values.Length;
        }

        public float[] ToArray()
        {
            // Training reads the features in random row order: their array gets huge pages where the OS offers them.
            var array = RowStoreAllocator.Allocate(_count);
            _items.AsSpan(0, _count).CopyTo(array);
            return array;
        }

        private void Reserve(int extra)
        {
            if (_count + extra <= _items.Length) return;
            var size = (int)Math.Min(Array.MaxLength, Math.Max((long)_items.Length * 2, (long)_count + extra));
            if (size < _count + extra)
                throw new InvalidOperationException("The training data does not fit in one array; train on fewer rows or features.");
            Array.Resize(ref _items, size);
        }
    }
}
