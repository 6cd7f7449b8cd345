using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Kernels;

/// <summary>The vectorized, core-splitting Adam update and row gather give exactly the scalar loops' results.</summary>
public class ElementwiseKernelTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(37, 1)]
    [InlineData(257, 2)]
    [InlineData(101_770, 1)]
    [InlineData(101_770, 2)]
    public void AdamUpdate_matches_the_scalar_adam_optimizer_bit_for_bit(int n, int threads)
    {
        using var scope = new ThreadCountScope(threads);
        var expected = TestData.Uniform(n, -1, 1, 1);
        var actual = (float[])expected.Clone();
        var reference = new AdamOptimizer(n, 1e-3f, 0.9f, 0.999f, 1e-8f);
        var (m, v) = (new float[n], new float[n]);
        for (var step = 1; step <= 3; step++)
        {
            var gradient = TestData.Uniform(n, -2, 2, 10 + step);
            reference.Step(expected, gradient);
            var rate = (float)(1e-3f * Math.Sqrt(1 - Math.Pow(0.999f, step)) / (1 - Math.Pow(0.9f, step)));
            AdamUpdate.Step(actual, gradient, m, v, rate, 0.9f, 0.999f, 1e-8f);
        }
        for (var i = 0; i < n; i++)
            Assert.Equal(BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(actual[i]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AdamUpdate_over_ranges_updates_those_elements_as_the_whole_vector_update_does_and_no_other(int threads)
    {
        using var scope = new ThreadCountScope(threads);
        const int n = 120_000;
        // Scattered rows of 24 (a lazy update's first-layer rows), then one long tail (the layers above).
        var ranges = Enumerable.Range(0, 3000).Select(i => new ParameterRange(i * 37 + (i % 3), 24))
            .Append(new ParameterRange(112_000, 8_000)).ToArray();
        var inRange = new bool[n];
        foreach (var (start, length) in ranges)
            inRange.AsSpan(start, length).Fill(true);
        var initial = TestData.Uniform(n, -1, 1, 3);
        var gradient = TestData.Uniform(n, -2, 2, 4);
        var (whole, part) = ((float[])initial.Clone(), (float[])initial.Clone());
        var (mWhole, vWhole, mPart, vPart) = (new float[n], new float[n], new float[n], new float[n]);

        AdamUpdate.Step(whole, gradient, mWhole, vWhole, 1e-3f, 0.9f, 0.999f, 1e-8f);
        AdamUpdate.Step(part, gradient, mPart, vPart, ranges, 1e-3f, 0.9f, 0.999f, 1e-8f);

        for (var i = 0; i < n; i++)
        {
            Assert.Equal(inRange[i] ? whole[i] : initial[i], part[i]);
            Assert.Equal(inRange[i] ? mWhole[i] : 0, mPart[i]);
            Assert.Equal(inRange[i] ? vWhole[i] : 0, vPart[i]);
        }
    }

    [Fact]
    public void AdamUpdate_over_no_ranges_changes_nothing()
    {
        var parameters = TestData.Uniform(100, -1, 1, 5);
        var before = (float[])parameters.Clone();
        var (m, v) = (new float[100], new float[100]);
        AdamUpdate.Step(parameters, TestData.Uniform(100, -1, 1, 6), m, v, ReadOnlySpan<ParameterRange>.Empty, 1e-3f, 0.9f, 0.999f, 1e-8f);
        Assert.Equal(before, parameters);
        Assert.All(m, x => Assert.Equal(0, x));
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 33, 2)]
    [InlineData(200, 784, 2)]
    public void RowGather_copies_the_chosen_rows_in_order(int rows, int width, int threads)
    {
        using var scope = new ThreadCountScope(threads);
        const int sourceRows = 500;
        var source = TestData.Uniform(sourceRows * width, -1, 1, 2);
        var order = Enumerable.Range(0, sourceRows).Reverse().ToArray();
        var destination = new float[rows * width];
        RowGather.Copy(source, width, order.AsSpan(3, rows), destination);
        for (var i = 0; i < rows; i++)
            Assert.Equal(source.AsSpan(order[3 + i] * width, width).ToArray(), destination.AsSpan(i * width, width).ToArray());
    }

    [Theory]
    [InlineData(37, 1)]
    [InlineData(101_770, 2)]
    public void AdamUpdate_matches_the_scalar_formula_bit_for_bit_with_moments_around_the_flush_threshold(int n, int threads)
    {
        using var scope = new ThreadCountScope(threads);
        var parameters = TestData.Uniform(n, -1, 1, 3);
        var gradient = TestData.Uniform(n, -1e-3f, 1e-3f, 4);
        var m = TestData.Uniform(n, -3e-30f, 3e-30f, 5);
        var v = TestData.Uniform(n, 0f, 3e-30f, 6);
        for (var i = 0; i < n; i += 2)
            gradient[i] = 0f; // every other moment only decays, so some cross the threshold
        var (expectedP, expectedM, expectedV) = ((float[])parameters.Clone(), (float[])m.Clone(), (float[])v.Clone());
        float beta1 = 0.9f, beta2 = 0.999f, c1 = 1 - beta1, c2 = 1 - beta2;
        for (var i = 0; i < n; i++)
        {
            float g = gradient[i], mi = DecayingMoment.Flush(beta1 * expectedM[i] + c1 * g);
            var vi = DecayingMoment.Flush(beta2 * expectedV[i] + c2 * g * g);
            (expectedM[i], expectedV[i]) = (mi, vi);
            expectedP[i] -= 1e-3f * mi / (MathF.Sqrt(vi) + 1e-8f);
        }
        AdamUpdate.Step(parameters, gradient, m, v, 1e-3f, beta1, beta2, 1e-8f);
        Assert.Contains(0f, m);
        Assert.Equal(expectedM.Select(BitConverter.SingleToInt32Bits), m.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(expectedV.Select(BitConverter.SingleToInt32Bits), v.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(expectedP.Select(BitConverter.SingleToInt32Bits), parameters.Select(BitConverter.SingleToInt32Bits));
    }
}
