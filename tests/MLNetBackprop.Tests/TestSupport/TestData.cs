using MLNetBackprop.Engine.Randomness;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>Deterministic random inputs for engine tests.</summary>
internal static class TestData
{
    public static float[] Uniform(int count, float low, float high, long seed)
    {
        var random = new SeededRandom(seed);
        var values = new float[count];
        for (var i = 0; i < count; i++)
            values[i] = low + (high - low) * random.NextFloat();
        return values;
    }

    public static float[] ClassTargets(int rows, int classes, long seed)
    {
        var random = new SeededRandom(seed);
        var targets = new float[rows];
        for (var i = 0; i < rows; i++)
            targets[i] = random.NextInt(classes);
        return targets;
    }

    /// <summary>
    /// Multi-label targets: per row <paramref name="labels"/> random 0/1 labels, then their weights, one of which
    /// (row 1's first) is 0 so a masked label shows, the others in [0.5, 2].
    /// </summary>
    public static float[] MultiLabelTargets(int rows, int labels, long seed)
    {
        var random = new SeededRandom(seed);
        var targets = new float[rows * 2 * labels];
        for (var r = 0; r < rows; r++)
            for (var j = 0; j < labels; j++)
            {
                targets[r * 2 * labels + j] = random.NextInt(2);
                targets[r * 2 * labels + labels + j] = r == 1 && j == 0 ? 0 : 0.5f + 1.5f * random.NextFloat();
            }
        return targets;
    }

    /// <summary>
    /// A dense row-major matrix where about <paramref name="density"/> of the cells are non-zero (uniform in
    /// [−1.5, 1.5] away from zero), the rest exactly zero.
    /// </summary>
    public static float[] SparseMatrix(int rows, int width, double density, long seed)
    {
        var random = new SeededRandom(seed);
        var values = new float[rows * width];
        for (var i = 0; i < values.Length; i++)
            if (random.NextFloat() < density)
                values[i] = (random.NextFloat() < 0.5f ? -1 : 1) * (0.25f + 1.25f * random.NextFloat());
        return values;
    }
}
