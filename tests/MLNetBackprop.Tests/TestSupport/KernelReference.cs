namespace MLNetBackprop.Tests.TestSupport;

/// <summary>The naive references and exact comparisons that kernel tests check the fast paths against.</summary>
internal static class KernelReference
{
    // Every vector path this machine runs (SimdLevel is internal, so theories take its number).
    public static TheoryData<int> Levels()
    {
        var data = new TheoryData<int>();
        foreach (var level in Enum.GetValues<MLNetBackprop.Engine.Kernels.SimdLevel>())
            if (level <= MLNetBackprop.Engine.Kernels.SimdSelection.Best)
                data.Add((int)level);
        return data;
    }

    // C[i,j] = init(i,j) then, for p = 0..k−1 in order, C = fma(A′[i,p], B′[p,j], C).
    public static float[] NaiveFma(int m, int n, int k, Func<int, int, float> a, Func<int, int, float> b, Func<int, int, float> init)
    {
        var c = new float[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                var sum = init(i, j);
                for (var p = 0; p < k; p++)
                    sum = MathF.FusedMultiplyAdd(a(i, p), b(p, j), sum);
                c[i * n + j] = sum;
            }
        return c;
    }

    // Operands start one float into their arrays so no vector load is aligned.
    public static ArraySegment<float> Unaligned(int length, long seed)
        => new(TestData.Uniform(length + 1, -1, 1, seed), 1, length);

    public static void AssertSame(float[] expected, Span<float> actual, string what)
    {
        for (var i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}: element {i} is {actual[i]}, expected exactly {expected[i]}");
    }
}
