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
        => MLNetBackprop.KernelProbe.ExactProducts.NaiveFma(m, n, k, a, b, init);

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
