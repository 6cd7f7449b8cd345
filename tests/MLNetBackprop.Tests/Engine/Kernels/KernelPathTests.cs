using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.KernelProbe;
using MLNetBackprop.Tests.TestSupport;
using static MLNetBackprop.Tests.TestSupport.KernelReference;

namespace MLNetBackprop.Tests.Engine.Kernels;

/// <summary>
/// Every product on every vector path (the fallbacks forced on), at odd and unaligned shapes, must equal a naive
/// loop of fused multiply-adds bit for bit: that is the kernels' determinism contract, and it also proves the
/// fallbacks agree with the fast path and that splitting across threads changes nothing.
/// </summary>
public class KernelPathTests
{
    private static readonly int[] Sizes = [1, 7, 33, 257];

    public static TheoryData<int> Levels() => KernelReference.Levels();

    // Every combination except 257³, which adds seconds of naive reference time and no new code path.
    private static IEnumerable<(int M, int K, int N)> Shapes()
    {
        foreach (var m in Sizes)
            foreach (var k in Sizes)
                foreach (var n in Sizes)
                    if ((long)m * k * n < 257L * 257 * 257)
                        yield return (m, k, n);
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Multiply_equals_the_naive_fma_loop_on_every_path(int levelNumber)
    {
        var level = (SimdLevel)levelNumber;
        using var forced = SimdSelection.Force(level);
        foreach (var (m, k, n) in Shapes())
        {
            var a = Unaligned(m * k, 1);
            var b = Unaligned(k * n, 2);
            var c = Unaligned(m * n, 3);
            MatrixMultiply.Multiply(a, b, c, m, k, n);
            var first = NaiveFma(m, n, k, (i, p) => a[i * k + p], (p, j) => b[p * n + j], (_, _) => 0f);
            AssertSame(first, c, $"{level} {m}x{k}x{n}");
            MatrixMultiply.Multiply(a, b, c, m, k, n, accumulate: true);
            AssertSame(NaiveFma(m, n, k, (i, p) => a[i * k + p], (p, j) => b[p * n + j], (i, j) => first[i * n + j]), c,
                $"{level} accumulate {m}x{k}x{n}");
        }
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void MultiplyTransposedA_equals_the_naive_fma_loop_on_every_path(int levelNumber)
    {
        var level = (SimdLevel)levelNumber;
        using var forced = SimdSelection.Force(level);
        foreach (var (m, k, n) in Shapes())
        {
            var a = Unaligned(m * k, 4);
            var b = Unaligned(m * n, 5);
            var c = Unaligned(k * n, 6);
            var initial = c.ToArray();
            MatrixMultiply.MultiplyTransposedA(a, b, c, m, k, n, accumulate: true);
            AssertSame(NaiveFma(k, n, m, (i, r) => a[r * k + i], (r, j) => b[r * n + j], (i, j) => initial[i * n + j]), c, $"{level} {m}x{k}x{n}");
        }
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void MultiplyTransposedB_equals_the_naive_fma_loop_on_every_path(int levelNumber)
    {
        var level = (SimdLevel)levelNumber;
        using var forced = SimdSelection.Force(level);
        foreach (var (m, k, n) in Shapes())
        {
            var a = Unaligned(m * k, 7);
            var b = Unaligned(n * k, 8);
            var c = Unaligned(m * n, 9);
            MatrixMultiply.MultiplyTransposedB(a, b, c, m, k, n);
            AssertSame(NaiveFma(m, n, k, (i, p) => a[i * k + p], (p, j) => b[j * k + p], (_, _) => 0f), c, $"{level} {m}x{k}x{n}");
        }
    }

    // More than one packed block of rows (521 rows) and of the shared dimension (520 = 2 × 260): the chunks of B′ are
    // packed again for each block of A′ while the partial sums pass through C, and only the last pass activates. One
    // level suffices: the blocking is the same code on every level.
    [Fact]
    public void A_product_in_several_blocks_of_rows_and_of_the_shared_dimension_starts_from_the_bias_and_activates()
    {
        using var scope = new ThreadCountScope(1);
        const int rows = 521, shared = 520, columns = 512;
        Assert.True(GemmJob.SharedBlockDepth(shared) < shared); // more than one block of the shared dimension
        var tileRows = GemmJob.TileRowsOf(SimdSelection.Current);
        Assert.True(rows / tileRows > GemmJob.PackedBlockTiles(GemmJob.SharedBlockDepth(shared), tileRows)); // and of A′
        var a = Unaligned(rows * shared, 46);
        var b = Unaligned(shared * columns, 47);
        var bias = Unaligned(columns, 48);
        var c = Unaligned(rows * columns, 49);
        var activated = new float[rows * columns];
        MatrixMultiply.MultiplyAddBias(a, b, bias, c, rows, shared, columns, ActivationKind.Relu, activated);
        var expected = NaiveFma(rows, columns, shared, (i, p) => a[i * shared + p], (p, j) => b[p * columns + j], (_, j) => bias[j]);
        AssertSame(expected, c, "pre-activations");
        Activations.Forward(ActivationKind.Relu, expected);
        AssertSame(expected, activated, "activations");
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void MultiplyAddBias_starts_from_the_bias_and_activates_on_every_path(int levelNumber)
    {
        var level = (SimdLevel)levelNumber;
        using var forced = SimdSelection.Force(level);
        foreach (var (m, k, n) in Shapes())
        {
            var a = Unaligned(m * k, 10);
            var b = Unaligned(k * n, 11);
            var bias = Unaligned(n, 12);
            var product = NaiveFma(m, n, k, (i, p) => a[i * k + p], (p, j) => b[p * n + j], (_, j) => bias[j]);
            foreach (var kind in new[] { ActivationKind.Relu, ActivationKind.LeakyRelu, ActivationKind.Tanh })
            {
                var c = new float[m * n];
                var activated = new float[m * n];
                MatrixMultiply.MultiplyAddBias(a, b, bias, c, m, k, n, kind, activated);
                var expected = (float[])product.Clone();
                AssertSame(expected, c, $"{level} {kind} {m}x{k}x{n}");
                Activations.Forward(kind, expected);
                AssertSame(expected, activated, $"{level} {kind} activated {m}x{k}x{n}");
            }
        }
    }

    // Wide outputs (the driver then packs strided rows of A′), several blocks of the shared dimension (partial sums
    // pass through C between blocks), left-over rows and a narrow last column panel, on every path; then, on one
    // thread so one part has all 515 columns, 521 rows: more than one packed block of A′ (512 KB of row tiles).
    [Theory]
    [MemberData(nameof(Levels))]
    public void Wide_products_with_packed_rows_and_blocked_shared_dimension_equal_the_naive_fma_loop(int levelNumber)
    {
        var level = (SimdLevel)levelNumber;
        using var forced = SimdSelection.Force(level);
        foreach (var (m, k, n) in new[] { (19, 600, 1100), (8, 513, 1060), (17, 33, 1031) })
            AssertWideProducts($"{level} {m}x{k}x{n}", m, k, n);
        using var scope = new ThreadCountScope(1);
        AssertWideProducts($"{level} one thread 521x300x515", 521, 300, 515);
    }

    // Rows below the last full tile take a tile of exactly that many rows (1 to 7) on full-width panels, straight into C,
    // and more rows a zero-padded full-height tile: every count, below one full tile and below two, with bias,
    // activation and accumulation, on every path.
    [Theory]
    [MemberData(nameof(Levels))]
    public void Every_count_of_rows_below_the_last_full_tile_equals_the_naive_fma_loop(int levelNumber)
    {
        var level = (SimdLevel)levelNumber;
        using var forced = SimdSelection.Force(level);
        var rows = GemmJob.TileRowsOf(level);
        for (var tiles = 1; tiles <= 2; tiles++)
            for (var rest = 1; rest < rows; rest++)
                AssertWideProducts($"{level} {tiles} tiles and {rest} rest rows", tiles * rows + rest, 40, 530);
    }

    // Products whose A′ takes several packed blocks share each packed block between the threads (SharedPackJob: A·B,
    // with and without bias, and Aᵀ·B), here with rows below the last full tile (9 at 12-row tiles, which take the
    // zero-padded tile), two uneven blocks of the shared dimension and a narrow last column panel. Two threads, and
    // the caller running every part itself (inside another job, whose threads are then busy), give the bits of one
    // thread (the per-thread path), whose sampled rows equal the naive loop: the whole product against the naive loop
    // would take seconds per form.
    [Theory]
    [MemberData(nameof(Levels))]
    public void Products_on_a_shared_packed_block_equal_one_thread_and_the_naive_fma_loop_on_two_threads_and_the_caller_alone(int levelNumber)
    {
        var level = (SimdLevel)levelNumber;
        const int m = 537, k = 521, n = 1100;
        Assert.True(GemmJob.SharedBlockDepth(k) < k); // two blocks of the shared dimension
        // B′ as A·B and Aᵀ·B read it: large enough to be packed, so both share the block.
        var rowMajorB = new GemmOperands { M = m, K = k, N = n, BKStride = n, BColumnStride = 1 };
        rowMajorB.PackB = MatrixMultiply.ShouldPack(rowMajorB);
        Assert.True(SharedPackJob.Applies(rowMajorB, level, 2));
        using var forced = SimdSelection.Force(level);
        using var scope = new ThreadCountScope(1);
        var forms = new ProductForms(m, k, n);
        var oneThread = forms.Compute();
        AssertSampledRowsEqualTheNaiveLoop(forms, oneThread, m, k, n, $"{level} one thread");
        KernelThreads.ThreadCount = 2;
        AssertSameForms(oneThread, forms.Compute(), $"{level} two threads");
        var nested = new FormsInsideAJob(level, forms);
        KernelThreads.Run(nested, 2);
        AssertSameForms(oneThread, nested.Results, $"{level} caller alone");
    }

    // Part 0 computes every product form while the job holds the kernel threads, so each product's parts run one after
    // another on whichever thread runs part 0.
    private sealed class FormsInsideAJob(SimdLevel level, ProductForms forms) : IKernelJob
    {
        public float[][] Results { get; private set; } = [];

        public void Execute(int part, int parts)
        {
            if (part != 0)
                return;
            using var forced = SimdSelection.Force(level);
            Results = forms.Compute();
        }
    }

    // Every 16th row and the last 21 (the last full tile and the rows below it at every tile height) of each form.
    private static void AssertSampledRowsEqualTheNaiveLoop(ProductForms forms, float[][] results, int m, int k, int n, string what)
    {
        var rows = Enumerable.Range(0, m).Where(i => i % 16 == 0 || i >= m - 21).ToArray();
        float[] Naive(Func<int, int, float> a, Func<int, int, float> init) =>
            NaiveFma(rows.Length, n, k, a, (p, j) => forms.B[p * n + j], init);
        float[] Sampled(float[] c) => rows.SelectMany(i => c.Skip(i * n).Take(n)).ToArray();
        var product = Naive((r, p) => forms.A[rows[r] * k + p], (_, _) => 0f);
        var withBias = Naive((r, p) => forms.A[rows[r] * k + p], (_, j) => forms.Bias[j]);
        var activated = (float[])withBias.Clone();
        Activations.Forward(ActivationKind.Relu, activated);
        float[][] expected =
        [
            product,
            Naive((r, p) => forms.A[rows[r] * k + p], (r, j) => product[r * n + j]),
            withBias,
            activated,
            Naive((r, p) => forms.At[p * m + rows[r]], (_, _) => 0f),
        ];
        AssertSameForms(expected, results.Select(Sampled).ToArray(), what + " sampled rows");
    }

    private static void AssertSameForms(float[][] expected, float[][] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var form = 0; form < expected.Length; form++)
            AssertSame(expected[form], actual[form], $"{what} {ProductForms.Names[form]}");
    }

    // A·B, accumulated, with bias and activation, A·Bᵀ and Aᵀ·B (whose A′ tiles are packed from adjacent floats)
    // against the naive FMA loop, for m output rows, k shared and n output columns.
    private static void AssertWideProducts(string what, int m, int k, int n)
    {
        var products = new ExactProducts();
        products.All(what, m, k, n);
        Assert.Empty(products.Failures);
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count_or_on_concurrent_callers()
    {
        const int m = 200, k = 300, n = 130; // large enough to be split across threads
        var a = TestData.Uniform(m * k, -1, 1, 20);
        var b = TestData.Uniform(k * n, -1, 1, 21);
        var expected = NaiveFma(m, n, k, (i, p) => a[i * k + p], (p, j) => b[p * n + j], (_, _) => 0f);
        using var scope = new ThreadCountScope(KernelThreads.ThreadCount); // restored afterwards
        foreach (var threads in new[] { 1, 2, 3 })
        {
            // Only speed depends on the count, so changing it cannot disturb tests running alongside.
            KernelThreads.ThreadCount = threads;
            var c = new float[m * n];
            MatrixMultiply.Multiply(a, b, c, m, k, n);
            AssertSame(expected, c, $"{threads} threads");
        }
        KernelThreads.ThreadCount = 2;
        Parallel.For(0, 8, _ =>
        {
            for (var repeat = 0; repeat < 5; repeat++)
            {
                var c = new float[m * n];
                MatrixMultiply.Multiply(a, b, c, m, k, n);
                AssertSame(expected, c, "concurrent caller");
            }
        });
    }

    [Fact]
    public void Vectorized_relu_and_leaky_relu_match_their_scalar_definitions_bit_for_bit()
    {
        float[] specials = [float.NaN, -0f, 0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon];
        for (var n = 0; n <= 70; n++)
        {
            var x = TestData.Uniform(n, -2, 2, 300 + n);
            var g = TestData.Uniform(n, -2, 2, 400 + n);
            for (var i = 0; i < n; i += 3)
                x[i] = specials[i % specials.Length];
            for (var i = 1; i < n; i += 5)
                g[i] = specials[i % specials.Length];

            var relu = (float[])x.Clone();
            Activations.Forward(ActivationKind.Relu, relu);
            AssertSame(x.Select(v => v > 0f || float.IsNaN(v) ? v : 0f).ToArray(), relu, $"relu n={n}");
            var leaky = new float[n];
            Activations.Forward(ActivationKind.LeakyRelu, x, leaky);
            AssertSame(x.Select(v => v > 0f ? v : Activations.LeakySlope * v).ToArray(), leaky, $"leaky n={n}");

            var reluGrad = (float[])g.Clone();
            Activations.Backward(ActivationKind.Relu, x, x, reluGrad);
            AssertSame(g.Select((v, i) => x[i] > 0f ? v : 0f).ToArray(), reluGrad, $"relu backward n={n}");
            var leakyGrad = (float[])g.Clone();
            Activations.Backward(ActivationKind.LeakyRelu, x, x, leakyGrad);
            AssertSame(g.Select((v, i) => x[i] > 0f ? v : Activations.LeakySlope * v).ToArray(), leakyGrad, $"leaky backward n={n}");
        }
    }
}
