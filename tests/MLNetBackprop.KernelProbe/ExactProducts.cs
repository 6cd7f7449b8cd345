using MLNetBackprop.Engine.Kernels;

namespace MLNetBackprop.KernelProbe;

/// <summary>
/// Checks every product form of <see cref="MatrixMultiply"/> against the naive fused multiply-add loop, bit for bit:
/// each element of C is one FMA chain over the shared dimension in order, on every vector path and thread count.
/// </summary>
internal sealed class ExactProducts
{
    private readonly List<string> _failures = [];

    /// <summary>Checks run so far.</summary>
    public int Checks { get; private set; }

    /// <summary>What differed, one line per failed check.</summary>
    public IReadOnlyList<string> Failures => _failures;

    /// <summary>C[i,j] = init(i,j), then C = fma(A′[i,p], B′[p,j], C) for p = 0..k−1 in order.</summary>
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

    /// <summary>A·B (then accumulated), A·B + bias with ReLU, A·Bᵀ and Aᵀ·B for an m×k by k×n product.</summary>
    public void All(string what, int m, int k, int n)
    {
        var a = Values(m * k, 1);
        var b = Values(k * n, 2);
        var bias = Values(n, 3);
        var c = Values(m * n, 4);
        MatrixMultiply.Multiply(a, b, c, m, k, n);
        var first = NaiveFma(m, n, k, (i, p) => a[i * k + p], (p, j) => b[p * n + j], (_, _) => 0f);
        Same(first, c, $"{what} A·B");
        MatrixMultiply.Multiply(a, b, c, m, k, n, accumulate: true);
        Same(NaiveFma(m, n, k, (i, p) => a[i * k + p], (p, j) => b[p * n + j], (i, j) => first[i * n + j]), c, $"{what} C += A·B");

        var withBias = NaiveFma(m, n, k, (i, p) => a[i * k + p], (p, j) => b[p * n + j], (_, j) => bias[j]);
        var activated = new float[m * n];
        MatrixMultiply.MultiplyAddBias(a, b, bias, c, m, k, n, ActivationKind.Relu, activated);
        Same(withBias, c, $"{what} A·B + bias");
        Activations.Forward(ActivationKind.Relu, withBias);
        Same(withBias, activated, $"{what} relu(A·B + bias)");

        var bt = Values(n * k, 5);
        MatrixMultiply.MultiplyTransposedB(a, bt, c, m, k, n);
        Same(NaiveFma(m, n, k, (i, p) => a[i * k + p], (p, j) => bt[j * k + p], (_, _) => 0f), c, $"{what} A·Bᵀ");

        var at = Values(k * m, 6);
        MatrixMultiply.MultiplyTransposedA(at, b, c, k, m, n);
        Same(NaiveFma(m, n, k, (i, r) => at[r * m + i], (r, j) => b[r * n + j], (_, _) => 0f), c, $"{what} Aᵀ·B");
    }

    /// <summary>
    /// Every <see cref="ProductForms"/> result on two threads against one thread, bit for bit: for products whose A′
    /// takes several packed blocks, which share each packed block between the threads where
    /// <see cref="SharedPackJob.Supported"/>, and are too large for the naive loop here.
    /// </summary>
    public void SameOnOneAndTwoThreads(string what, int m, int k, int n)
    {
        var operands = new GemmOperands { M = m, K = k, N = n, BKStride = n, BColumnStride = 1 };
        operands.PackB = MatrixMultiply.ShouldPack(operands);
        Checks++;
        if (SharedPackJob.Supported && !SharedPackJob.Applies(operands, SimdSelection.Current, 2))
            _failures.Add($"{what}: two threads would not share the packed blocks, so this checks nothing new");
        var forms = new ProductForms(m, k, n);
        var threads = KernelThreads.ThreadCount;
        KernelThreads.ThreadCount = 1;
        var one = forms.Compute();
        KernelThreads.ThreadCount = 2;
        var two = forms.Compute();
        KernelThreads.ThreadCount = threads;
        for (var form = 0; form < one.Length; form++)
            Same(one[form], two[form], $"{what} {ProductForms.Names[form]} on two threads against one");
    }

    private void Same(float[] expected, ReadOnlySpan<float> actual, string what)
    {
        Checks++;
        for (var i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                _failures.Add($"{what}: element {i} is {actual[i]:R}, expected exactly {expected[i]:R}");
                return;
            }
    }

    /// <summary>
    /// Uniform in [-1, 1) from a fixed linear congruential sequence, so every platform checks the same numbers; one
    /// float into the array, so no vector load is aligned.
    /// </summary>
    internal static ArraySegment<float> Values(int count, uint seed)
    {
        var values = new float[count + 1];
        var state = seed * 2654435761u + 1;
        for (var i = 0; i < count; i++)
        {
            state = state * 1664525u + 1013904223u;
            values[i + 1] = (state >> 8) / (float)(1 << 23) - 1f;
        }
        return new ArraySegment<float>(values, 1, count);
    }
}
