using System.Numerics.Tensors;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.RowSources;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// Fits an <see cref="InputScaling"/> on evenly spaced rows of a training source: each feature's center is its median
/// and its factor the inverse of its interquartile range, or, where half the values or more are equal, of half its
/// range; a constant feature gets factor 0. Sparse rows are not centered, so that they stay sparse: their spread
/// counts the zeros. Quantiles interpolate linearly between order statistics, as NumPy's do. With a numeric encoding
/// (<see cref="FitEncoded"/>), the same sample gives the bins' edges first and then the scaling of the encoded rows.
/// </summary>
internal static class InputScalingFitter
{
    /// <summary>Rows the statistics are taken from, at most: quantiles of more rows barely move.</summary>
    public const int SampleRows = 4096;

    // The most dense values the sample holds (64 MB), for inputs so wide that SampleRows of them would not fit.
    private const long SampleValueBudget = 1L << 24;
    private const int PassCapacity = 1024;

    /// <summary>
    /// Fits the scaling of <paramref name="source"/>'s rows, read in one in-order pass; with
    /// <paramref name="onlyOutsideUnitRange"/>, none (null) when every value of every row lies within [−1, 1].
    /// <paramref name="centered"/> (default: the rows are dense) centers the features.
    /// </summary>
    public static InputScaling? Fit(IRowSource source, bool onlyOutsideUnitRange = false, bool? centered = null)
    {
        var width = source.FeatureCount;
        var target = SampleTarget(source);
        var (columns, sampled, largest) = source.IsSparse ? SampleSparse(source, target) : SampleDense(source, target);
        if (onlyOutsideUnitRange && largest <= 1)
            return null;
        var centers = new float[width];
        var factors = new float[width];
        for (var j = 0; j < width; j++)
            (centers[j], factors[j]) = Statistics(columns.Column(j), sampled - columns.Column(j).Length, centered ?? !source.IsSparse);
        return new InputScaling(centers, factors);
    }

    /// <summary>
    /// Fits a <see cref="PiecewiseLinearEncoding"/> of <paramref name="source"/>'s dense rows with up to
    /// <paramref name="bins"/> bins per feature, at its training quantiles, and, with <paramref name="scale"/>, the
    /// robust scaling of the encoded rows, from one sample read in one in-order pass. A feature with at most two distinct
    /// values in the sample (a flag, a one-hot column, a constant) is not encoded; the encoding is null when no feature is,
    /// or when it would add more than <paramref name="inputLimit"/> inputs.
    /// </summary>
    public static (PiecewiseLinearEncoding? Encoding, InputScaling? Scaling) FitEncoded(IRowSource source, int bins, int inputLimit, bool scale)
    {
        if (source.IsSparse)
            throw new ArgumentException("A numeric encoding needs dense rows.", nameof(source));
        var width = source.FeatureCount;
        var (columns, sampled, _) = SampleDense(source, SampleTarget(source));
        var encoding = FitEncoding(columns, width, bins);
        if (encoding is not null && encoding.BinCount > inputLimit)
            encoding = null;
        if (!scale)
            return (encoding, null);
        var encodedWidth = encoding?.EncodedCount ?? width;
        var centers = new float[encodedWidth];
        var factors = new float[encodedWidth];
        for (var j = 0; j < width; j++)
            (centers[j], factors[j]) = Statistics(columns.Column(j), 0, centered: true);
        var binValues = new float[sampled];
        for (var k = 0; k < (encoding?.BinCount ?? 0); k++)
        {
            encoding!.EncodeBin(k, columns.Column(encoding.Features[k]), binValues);
            (centers[width + k], factors[width + k]) = Statistics(binValues, 0, centered: true);
        }
        return (encoding, new InputScaling(centers, factors));
    }

    // Rows to sample: at most SampleRows, and for dense rows at most what SampleValueBudget holds.
    private static int SampleTarget(IRowSource source)
    {
        var budgetRows = Math.Max(1, SampleValueBudget / source.FeatureCount);
        return (int)Math.Min(source.RowCount, Math.Min(SampleRows, source.IsSparse ? SampleRows : budgetRows));
    }

    // The encoding's bins at each feature's quantiles 0, 1/bins, ..., 1 (sorting every sampled column).
    private static PiecewiseLinearEncoding? FitEncoding(SampleColumns columns, int width, int bins)
    {
        var features = new List<int>();
        var offsets = new List<float>();
        var factors = new List<float>();
        for (var j = 0; j < width; j++)
        {
            var values = columns.Column(j);
            values.Sort();
            if (!HasThreeValues(values))
                continue;
            var edges = Edges(values, bins);
            for (var t = 0; t + 1 < edges.Count; t++)
            {
                features.Add(j);
                offsets.Add(edges[t]);
                factors.Add(BinFactor(edges[t], edges[t + 1]));
            }
        }
        return features.Count == 0 ? null : new PiecewiseLinearEncoding(width, [.. features], [.. offsets], [.. factors]);
    }

    private static bool HasThreeValues(ReadOnlySpan<float> sorted)
    {
        if (sorted.IsEmpty)
            return false;
        var distinct = 1;
        for (var i = 1; i < sorted.Length && distinct < 3; i++)
            distinct += sorted[i] != sorted[i - 1] ? 1 : 0;
        return distinct >= 3;
    }

    // Strictly increasing quantile edges whose bins have a finite factor; equal quantiles (a value many rows share) merge.
    private static List<float> Edges(ReadOnlySpan<float> sorted, int bins)
    {
        var sample = new SortedSample(sorted, 0);
        var edges = new List<float>(bins + 1);
        for (var b = 0; b <= bins; b++)
        {
            var edge = (float)sample.Quantile((double)b / bins);
            if (edges.Count == 0 || (edge > edges[^1] && float.IsFinite(BinFactor(edges[^1], edge))))
                edges.Add(edge);
        }
        return edges;
    }

    private static float BinFactor(float low, float high) => (float)(1.0 / ((double)high - low));

    // Center and factor of a feature whose sample is `values` (any order; sorted here) and `zeros` further zeros.
    private static (float Center, float Factor) Statistics(Span<float> values, int zeros, bool centered)
    {
        values.Sort();
        var sample = new SortedSample(values, zeros);
        if (sample.Count == 0)
            return (0f, 0f);
        var spread = sample.Quantile(0.75) - sample.Quantile(0.25);
        if (!(spread > 0))
            spread = 0.5 * (sample.At(sample.Count - 1) - sample.At(0));
        var factor = spread > 0 ? (float)(1.0 / spread) : 0f;
        return (centered ? (float)sample.Quantile(0.5) : 0f, float.IsFinite(factor) ? factor : 0f);
    }

    // Sorted values with `zeros` implicit zeros among them.
    private readonly ref struct SortedSample(ReadOnlySpan<float> sorted, int zeros)
    {
        private readonly ReadOnlySpan<float> _sorted = sorted;
        private readonly int _negatives = CountBelowZero(sorted);

        public int Count => _sorted.Length + zeros;

        public double At(int rank) => rank < _negatives ? _sorted[rank] : rank < _negatives + zeros ? 0.0 : _sorted[rank - zeros];

        public double Quantile(double q)
        {
            var position = q * (Count - 1);
            var low = (int)Math.Floor(position);
            var high = Math.Min(low + 1, Count - 1);
            return At(low) + (position - low) * (At(high) - At(low));
        }

        private static int CountBelowZero(ReadOnlySpan<float> sorted)
        {
            var count = 0;
            while (count < sorted.Length && sorted[count] < 0)
                count++;
            return count;
        }
    }

    // Whether row `index` of `rows` is one of `target` evenly spaced ones: exactly `target` rows qualify.
    private static bool Sampled(long index, long rows, int target) => (index + 1) * target / rows > index * target / rows;

    // The sampled columns, the rows sampled (`target` unless the pass gave fewer rows than the source's count) and the
    // largest magnitude of any value of any row (sampled or not).
    private static (SampleColumns, int Sampled, float Largest) SampleDense(IRowSource source, int target)
    {
        var width = source.FeatureCount;
        var values = new float[checked((long)target * width)];
        var taken = 0;
        var largest = 0f;
        ReadPass(source, (workspace, rows, first) =>
        {
            var inputs = workspace.Inputs;
            largest = Math.Max(largest, TensorPrimitives.MaxMagnitude(inputs.AsSpan(0, rows * width)));
            for (var r = 0; r < rows; r++)
            {
                // A pass longer than the source's count must not run past a column's stretch.
                if (!Sampled(first + r, source.RowCount, target) || taken == target)
                    continue;
                for (var j = 0; j < width; j++)
                    values[(long)j * target + taken] = inputs[r * width + j];
                taken++;
            }
        });
        var starts = new int[width + 1];
        for (var j = 0; j <= width; j++)
            starts[j] = j * target;
        return (new SampleColumns(values, starts, taken), taken, largest);
    }

    private static (SampleColumns, int Sampled, float Largest) SampleSparse(IRowSource source, int target)
    {
        var features = new List<int>();
        var values = new List<float>();
        var largest = 0f;
        var taken = 0;
        ReadPass(source, (workspace, rows, first) =>
        {
            var batch = workspace.SparseInputs!;
            var batchValues = batch.Rows.Values[..batch.Rows.RowStarts[rows]];
            if (!batchValues.IsEmpty)
                largest = Math.Max(largest, TensorPrimitives.MaxMagnitude(batchValues));
            for (var r = 0; r < rows; r++)
            {
                if (!Sampled(first + r, source.RowCount, target))
                    continue;
                taken++;
                features.AddRange(batch.IndicesOf(r));
                values.AddRange(batch.ValuesOf(r));
            }
        });
        // Counting sort by feature: each feature's non-zeros together.
        var bounds = new int[source.FeatureCount + 1];
        foreach (var feature in features)
            bounds[feature + 1]++;
        for (var j = 1; j < bounds.Length; j++)
            bounds[j] += bounds[j - 1];
        var next = bounds[..^1]; // a copy: each feature's next free place
        var byFeature = new float[values.Count];
        for (var k = 0; k < features.Count; k++)
            byFeature[next[features[k]]++] = values[k];
        return (new SampleColumns(byFeature, bounds, int.MaxValue), taken, largest);
    }

    // One in-order pass over the source, batch by batch: the workspace, the batch's rows and the index of its first row.
    private static void ReadPass(IRowSource source, Action<BatchWorkspace, int, long> onBatch)
    {
        var layout = new NetworkLayout(source.FeatureCount, [], 1, ActivationKind.Identity);
        var workspace = new BatchWorkspace(layout, (int)Math.Max(1, Math.Min(PassCapacity, source.RowCount)));
        using var pass = source.StartInOrder(workspace);
        long first = 0;
        for (int rows; (rows = pass.Next(out _)) > 0; first += rows)
            onBatch(workspace, rows, first);
    }

    // The sampled values of each feature: a stretch from each start, up to the next start or `length` values.
    private readonly struct SampleColumns(float[] values, int[] starts, int length)
    {
        public Span<float> Column(int feature) => values.AsSpan(starts[feature], Math.Min(length, starts[feature + 1] - starts[feature]));
    }
}
