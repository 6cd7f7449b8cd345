using MLNetBackprop.Engine.Randomness;

namespace MLNetBackprop.Engine.Data;

/// <summary>Holding out part of a training set for validation.</summary>
internal static class DataSplit
{
    /// <summary>
    /// Splits <paramref name="data"/> into training and validation rows: a random <paramref name="fraction"/> of the
    /// rows (rounded), or with <paramref name="stratify"/> that fraction of each class (targets taken as class
    /// indices; rows of several targets are never stratified), so skewed classes keep their proportions. Both parts keep the original row order. The choice is
    /// fixed by <paramref name="seed"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The fraction leaves no row on one side.</exception>
    public static (TrainingSet Train, TrainingSet Validation) HoldOut(TrainingSet data, float fraction, bool stratify, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(fraction > 0 && fraction < 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The fraction must be in (0, 1).");
        var random = new SeededRandom(seed ^ 0x3C6EF372FE94F82BL);
        var held = new bool[data.RowCount];
        var groups = stratify && data.TargetWidth == 1
            ? Enumerable.Range(0, data.RowCount).GroupBy(r => data.Targets[r]).OrderBy(g => g.Key).Select(g => g.ToArray())
            : [Enumerable.Range(0, data.RowCount).ToArray()];
        var heldCount = 0;
        foreach (var rows in groups)
        {
            random.Shuffle(rows);
            var take = (int)Math.Round(fraction * rows.Length, MidpointRounding.AwayFromZero);
            foreach (var r in rows.AsSpan(0, take))
                held[r] = true;
            heldCount += take;
        }
        if (heldCount == 0 || heldCount == data.RowCount)
            throw new ArgumentException(
                $"Holding out {fraction} of {data.RowCount} rows leaves {(heldCount == 0 ? "no validation rows" : "no training rows")}; " +
                "use more data or another fraction.", nameof(fraction));
        return (data.Subset(Array.ConvertAll(held, h => !h)), data.Subset(held));
    }
}
