using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Kernels;

public class MatrixMultiplyTests
{
    private static readonly int[] Sizes = [1, 7, 33, 257];

    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var m in Sizes)
            foreach (var k in Sizes)
                foreach (var n in Sizes)
                    data.Add(m, k, n);
        return data;
    }

    // Checks C[i,j] = initial + Σ_p a(i,p)·b(p,j), computed in double; float rounding error is bounded by about
    // k·ε·Σ|a·b|, so the tolerance scales with that.
    private static void AssertProduct(float[] c, int m, int n, int k, Func<int, int, double> a, Func<int, int, double> b, float[]? initial)
    {
        // Materialise the operands once (A row-major, B column-major) so the triple loop is cheap.
        var aRows = new double[m * k];
        for (var i = 0; i < m; i++)
            for (var p = 0; p < k; p++)
                aRows[i * k + p] = a(i, p);
        var bColumns = new double[n * k];
        for (var p = 0; p < k; p++)
            for (var j = 0; j < n; j++)
                bColumns[j * k + p] = b(p, j);
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                double expected = initial?[i * n + j] ?? 0, magnitude = Math.Abs(expected);
                for (var p = 0; p < k; p++)
                {
                    var term = aRows[i * k + p] * bColumns[j * k + p];
                    expected += term;
                    magnitude += Math.Abs(term);
                }
                var tolerance = 2e-7 * k * magnitude + 1e-6;
                if (!(Math.Abs(c[i * n + j] - expected) <= tolerance))
                    Assert.Fail($"C[{i},{j}] = {c[i * n + j]}, expected {expected} (m={m}, k={k}, n={n})");
            }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_matches_a_naive_product(int m, int k, int n)
    {
        var a = TestData.Uniform(m * k, -1, 1, 1);
        var b = TestData.Uniform(k * n, -1, 1, 2);
        var c = TestData.Uniform(m * n, -5, 5, 3); // garbage that must be overwritten
        MatrixMultiply.Multiply(a, b, c, m, k, n);
        AssertProduct(c, m, n, k, (i, p) => a[i * k + p], (p, j) => b[p * n + j], null);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MultiplyTransposedA_matches_a_naive_product(int m, int k, int n)
    {
        // C[k×n] = Aᵀ·B with A [m×k], B [m×n]: the shared dimension is m.
        var a = TestData.Uniform(m * k, -1, 1, 4);
        var b = TestData.Uniform(m * n, -1, 1, 5);
        var c = TestData.Uniform(k * n, -5, 5, 6);
        MatrixMultiply.MultiplyTransposedA(a, b, c, m, k, n);
        AssertProduct(c, k, n, m, (i, r) => a[r * k + i], (r, j) => b[r * n + j], null);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MultiplyTransposedB_matches_a_naive_product(int m, int k, int n)
    {
        // C[m×n] = A·Bᵀ with A [m×k], B [n×k].
        var a = TestData.Uniform(m * k, -1, 1, 7);
        var b = TestData.Uniform(n * k, -1, 1, 8);
        var c = TestData.Uniform(m * n, -5, 5, 9);
        MatrixMultiply.MultiplyTransposedB(a, b, c, m, k, n);
        AssertProduct(c, m, n, k, (i, p) => a[i * k + p], (p, j) => b[j * k + p], null);
    }

    [Theory]
    [InlineData(7, 33, 1)]
    [InlineData(33, 7, 257)]
    public void Every_kernel_adds_to_the_destination_when_accumulating(int m, int k, int n)
    {
        var a = TestData.Uniform(m * k, -1, 1, 10);
        var bKn = TestData.Uniform(k * n, -1, 1, 11);
        var bMn = TestData.Uniform(m * n, -1, 1, 12);
        var bNk = TestData.Uniform(n * k, -1, 1, 13);

        var initial = TestData.Uniform(m * n, -3, 3, 14);
        var c = (float[])initial.Clone();
        MatrixMultiply.Multiply(a, bKn, c, m, k, n, accumulate: true);
        AssertProduct(c, m, n, k, (i, p) => a[i * k + p], (p, j) => bKn[p * n + j], initial);

        var initialT = TestData.Uniform(k * n, -3, 3, 15);
        c = (float[])initialT.Clone();
        MatrixMultiply.MultiplyTransposedA(a, bMn, c, m, k, n, accumulate: true);
        AssertProduct(c, k, n, m, (i, r) => a[r * k + i], (r, j) => bMn[r * n + j], initialT);

        c = (float[])initial.Clone();
        MatrixMultiply.MultiplyTransposedB(a, bNk, c, m, k, n, accumulate: true);
        AssertProduct(c, m, n, k, (i, p) => a[i * k + p], (p, j) => bNk[j * k + p], initial);
    }

    [Fact]
    public void Kernels_reject_buffers_smaller_than_the_shape()
    {
        var small = new float[5];
        var big = new float[100];
        Assert.Throws<ArgumentException>(() => MatrixMultiply.Multiply(small, big, big, 2, 3, 4));
        Assert.Throws<ArgumentException>(() => MatrixMultiply.MultiplyTransposedA(big, small, big, 2, 3, 4));
        Assert.Throws<ArgumentException>(() => MatrixMultiply.MultiplyTransposedB(big, big, small, 2, 3, 4));
    }

    [Fact]
    public void Axpy_and_dot_match_scalar_loops_for_every_length_around_the_vector_widths()
    {
        for (var n = 0; n <= 70; n++)
        {
            var x = TestData.Uniform(n, -1, 1, 100 + n);
            var y = TestData.Uniform(n, -1, 1, 200 + n);
            var expectedY = new float[n];
            double expectedDot = 0;
            for (var i = 0; i < n; i++)
            {
                expectedY[i] = y[i] + 0.75f * x[i];
                expectedDot += (double)x[i] * y[i];
            }
            Assert.Equal(expectedDot, VectorOps.Dot(x, y), 1e-5);
            VectorOps.Axpy(0.75f, x, y);
            Assert.Equal(expectedY, y); // one multiply and one add per element: exact
        }
    }
}
