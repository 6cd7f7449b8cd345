using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.MLNet;

/// <summary>Reads a label column as the engine's target: a class index, 0 or 1, or the value; NaN when missing.</summary>
internal static class LabelGetter
{
    /// <summary>A getter that yields the label of the cursor's row as a target, NaN for a missing label.</summary>
    public static ValueGetter<float> For(DataViewRowCursor cursor, DataViewSchema.Column label, LabelKind kind)
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

    /// <summary>
    /// A reader of a vector label's targets into a span of <see cref="RowColumns.TargetWidth"/>: each value of a
    /// float vector (NaN for a missing or infinite one), or each value of a Boolean vector as 0 or 1 followed by a
    /// weight of 1 per label. Returns false when no value is present (every one missing).
    /// </summary>
    public static TargetsGetter ForVector(DataViewRowCursor cursor, RowColumns columns)
    {
        var size = columns.LabelSize;
        if (columns.Kind == LabelKind.Boolean)
        {
            var get = cursor.GetGetter<VBuffer<bool>>(columns.Label);
            var labels = default(VBuffer<bool>);
            return targets =>
            {
                get(ref labels);
                targets.Clear();
                var indices = labels.GetIndices();
                var items = labels.GetValues();
                for (var k = 0; k < items.Length; k++)
                    targets[labels.IsDense ? k : indices[k]] = items[k] ? 1 : 0;
                targets[size..].Fill(1);
                return true;
            };
        }
        var getValues = cursor.GetGetter<VBuffer<float>>(columns.Label);
        var values = default(VBuffer<float>);
        return targets =>
        {
            getValues(ref values);
            targets.Clear(); // an implicit (sparse) value is 0
            var indices = values.GetIndices();
            var items = values.GetValues();
            for (var k = 0; k < items.Length; k++)
                targets[values.IsDense ? k : indices[k]] = float.IsFinite(items[k]) ? items[k] : float.NaN;
            foreach (var t in targets)
                if (!float.IsNaN(t))
                    return true;
            return false;
        };
    }
}
