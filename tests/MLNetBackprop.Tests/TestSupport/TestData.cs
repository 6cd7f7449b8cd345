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
}
