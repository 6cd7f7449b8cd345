using Microsoft.ML;

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
}
