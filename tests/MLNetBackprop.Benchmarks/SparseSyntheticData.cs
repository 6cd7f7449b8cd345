using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// Deterministic synthetic classification rows for the sparse benchmarks. Each cell is non-zero with its feature's
/// probability: equal for every feature (uniform placement), or falling with the feature's popularity rank as
/// 1/rank, capped at 1 (Zipf placement, as words in text: a few features occur in most rows, most in few), the
/// ranks scattered over the feature indices. The class is learnable: every class has its own indicative features,
/// drawn away from the most popular ones, that its rows hold with a raised probability (a few such hits a row on
/// average, so a row without any cannot be told apart). The values are uniform in [0.25, 1], each row scaled to unit
/// length, as a TF-IDF featurizer gives.
/// </summary>
internal sealed class SparseSyntheticData
{
    private SparseSyntheticData(SparseRows rows, float[] targets) => (Rows, Targets) = (rows, targets);

    /// <summary>The rows.</summary>
    public SparseRows Rows { get; }
    /// <summary>The class of each row, 0..classes−1.</summary>
    public float[] Targets { get; }

    /// <summary>
    /// Builds <paramref name="rowCount"/> rows of <paramref name="width"/> features whose expected density is
    /// <paramref name="density"/>, classes drawn uniformly.
    /// </summary>
    public static SparseSyntheticData Create(int rowCount, int width, int classes, double density, bool zipf, ulong seed)
    {
        var state = seed * 0x9E3779B97F4A7C15UL + 0x2545F4914F6CDD1DUL;
        var expectedPerRow = density * width;
        var hitsPerRow = Math.Min(5.0, 0.25 * expectedPerRow); // indicative hits a row, on average
        var indicativePerClass = Math.Max(1, Math.Min(200, width / (4 * classes)));
        var raise = hitsPerRow / indicativePerClass;
        var background = BackgroundProbabilities(width, Math.Max(0, density - hitsPerRow / width), zipf);

        // Popularity rank r belongs to feature rankToFeature[r]; the indicative features come from the ranks past the
        // first tenth.
        var rankToFeature = Permutation(width, ref state);
        var indicativeRanks = Permutation(width - width / 10, ref state);
        var thresholds = new uint[classes][];
        for (var c = 0; c < classes; c++)
        {
            var p = new double[width];
            for (var r = 0; r < width; r++)
                p[rankToFeature[r]] = background[r];
            for (var k = 0; k < indicativePerClass; k++)
            {
                var f = rankToFeature[width / 10 + indicativeRanks[(c * indicativePerClass + k) % indicativeRanks.Length]];
                p[f] = Math.Min(1, p[f] + raise);
            }
            thresholds[c] = p.Select(ToThreshold).ToArray();
        }

        var targets = new float[rowCount];
        var starts = new int[rowCount + 1];
        var indices = new List<int>((int)Math.Min(int.MaxValue, rowCount * (expectedPerRow + 1) * 1.05));
        var values = new List<float>(indices.Capacity);
        for (var row = 0; row < rowCount; row++)
        {
            var c = (int)(Next(ref state) % (ulong)classes);
            targets[row] = c;
            var threshold = thresholds[c];
            var first = values.Count;
            double norm = 0;
            for (var f = 0; f < width; f++)
            {
                var t = threshold[f];
                if (t == 0 || (t != uint.MaxValue && (uint)(Next(ref state) >> 32) >= t))
                    continue;
                var v = 0.25f + 0.75f * (float)((Next(ref state) >> 40) / (double)(1UL << 24));
                indices.Add(f);
                values.Add(v);
                norm += v * v;
            }
            var scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 1f;
            for (var k = first; k < values.Count; k++)
                values[k] *= scale;
            starts[row + 1] = values.Count;
        }
        return new SparseSyntheticData(new SparseRows(values.ToArray(), indices.ToArray(), starts, width), targets);
    }

    /// <summary>The mean number of distinct features in consecutive batches of <paramref name="batchSize"/> rows.</summary>
    public double DistinctFeaturesPerBatch(int batchSize)
    {
        var seen = new bool[Rows.Width];
        long total = 0;
        var batches = 0;
        for (var start = 0; start < Rows.RowCount; start += batchSize, batches++)
        {
            Array.Clear(seen);
            for (var r = start; r < Math.Min(Rows.RowCount, start + batchSize); r++)
                foreach (var f in Rows.IndicesOf(r))
                    if (!seen[f])
                        (seen[f], total) = (true, total + 1);
        }
        return batches == 0 ? 0 : (double)total / batches;
    }

    // min(1, scale·weight(rank)) with the scale that makes the mean the density sought.
    private static double[] BackgroundProbabilities(int width, double density, bool zipf)
    {
        var weights = Enumerable.Range(0, width).Select(r => zipf ? 1.0 / (r + 1) : 1.0).ToArray();
        double Mean(double scale) => weights.Sum(w => Math.Min(1, scale * w)) / width;
        var (low, high) = (0.0, 1.0);
        while (Mean(high) < density && high < 1e12)
            high *= 2;
        for (var i = 0; i < 100; i++)
        {
            var middle = (low + high) / 2;
            if (Mean(middle) < density)
                low = middle;
            else
                high = middle;
        }
        return weights.Select(w => Math.Min(1, high * w)).ToArray();
    }

    private static uint ToThreshold(double probability)
        => probability >= 1 ? uint.MaxValue : (uint)Math.Round(probability * 4294967296.0);

    private static int[] Permutation(int count, ref ulong state)
    {
        var order = Enumerable.Range(0, count).ToArray();
        for (var i = count - 1; i > 0; i--)
        {
            var j = (int)(Next(ref state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    // SplitMix64: the same numbers on every runtime.
    private static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
