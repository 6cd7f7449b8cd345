using Microsoft.ML.Data;

namespace MLNetBackprop.MLNet;

/// <summary>The checks every feature vector read for training passes, with messages naming the column and row.</summary>
internal static class FeatureVectorCheck
{
    /// <summary>
    /// True when the vector can be trained on; false when a value is NaN or infinite (the row is skipped).
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The vector's length is not <paramref name="featureCount"/>, or a sparse vector's slots are not increasing,
    /// distinct and within its length.
    /// </exception>
    public static bool IsUsable(in VBuffer<float> vector, int featureCount, string column, long row)
    {
        if (vector.Length != featureCount)
            throw new InvalidOperationException($"Feature column '{column}' has {vector.Length} values in row {row}, but its type declares {featureCount}.");
        var values = vector.GetValues();
        if (!vector.IsDense)
            CheckSlots(vector.GetIndices(), vector.Length, column, row);
        foreach (var value in values)
            if (!float.IsFinite(value))
                return false;
        return true;
    }

    private static void CheckSlots(ReadOnlySpan<int> indices, int length, string column, long row)
    {
        var previous = -1;
        foreach (var slot in indices)
        {
            if (slot < 0 || slot >= length)
                throw new InvalidOperationException(
                    $"Feature column '{column}' row {row} is a sparse vector with slot {slot}, outside its {length} slots 0..{length - 1}. " +
                    "Build the vector with indices below its length.");
            if (slot <= previous)
                throw new InvalidOperationException(
                    $"Feature column '{column}' row {row} is a sparse vector whose slot {slot} comes after slot {previous}; " +
                    "a vector's slot indices must be increasing and distinct. Build the vector with distinct, sorted indices.");
            previous = slot;
        }
    }
}
