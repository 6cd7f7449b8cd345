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
