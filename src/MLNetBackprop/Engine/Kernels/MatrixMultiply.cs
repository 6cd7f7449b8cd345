using System.Runtime.CompilerServices;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// Float32 products of row-major matrices, the shapes backpropagation needs, on register-blocked FMA tiles
/// (AVX-512, AVX2, AdvSimd or scalar) split across cores for large products. Every output element is one chain
/// of fused multiply-adds over the shared dimension, first index first, computed by one thread: results are
/// deterministic and identical whatever the vector width or thread count.
/// </summary>
internal static unsafe class MatrixMultiply
{
    /// <summary>C[m×n] = A[m×k]·B[k×n], or C += A·B when <paramref name="accumulate"/> is set (forward pass).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        CheckShapes(a.Length, (long)m * k, b.Length, (long)k * n, c.Length, (long)m * n);
        fixed (float* pa = a, pb = b, pc = c)
        {
            var operands = RowMajor(pa, pb, pc, m, k, n);
            operands.Accumulate = accumulate;
            GemmJob.Run(operands);
        }
    }

    /// <summary>
    /// C[m×n] = A[m×k]·B[k×n] + bias (a dense layer); when <paramref name="activated"/> is not empty it also
    /// receives f(C) for <paramref name="activation"/>, computed tile by tile while C is in cache.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAddBias(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c,
        int m, int k, int n, ActivationKind activation = ActivationKind.Identity, Span<float> activated = default)
    {
        CheckShapes(a.Length, (long)m * k, b.Length, (long)k * n, c.Length, (long)m * n);
        if (bias.Length < n || (!activated.IsEmpty && activated.Length < (long)m * n))
            throw new ArgumentException($"Bias ({bias.Length}) or activation ({activated.Length}) buffer too small for {m}×{n}.");
        fixed (float* pa = a, pb = b, pc = c, pBias = bias, pActivated = activated)
        {
            var operands = RowMajor(pa, pb, pc, m, k, n);
            operands.Bias = n == 0 ? null : pBias;
            operands.Activated = activated.IsEmpty ? null : pActivated;
            operands.Activation = activation;
            GemmJob.Run(operands);
        }
    }

    /// <summary>C[k×n] = A[m×k]ᵀ·B[m×n], or C += AᵀB (the weight gradient Xᵀ·dZ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyTransposedA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        CheckShapes(a.Length, (long)m * k, b.Length, (long)m * n, c.Length, (long)k * n);
        fixed (float* pa = a, pb = b, pc = c)
        {
            // Output row i is column i of A: A′[i, r] = a[r·k + i], read with a stride instead of transposing.
            var operands = new GemmOperands
            {
                A = pa, ARowStride = 1, AKStride = k,
                B = pb, BKStride = n, BColumnStride = 1,
                C = pc, Ldc = n,
                M = k, N = n, K = m,
                Accumulate = accumulate,
            };
            operands.PackB = ShouldPack(operands);
            GemmJob.Run(operands);
        }
    }

    /// <summary>C[m×n] = A[m×k]·B[n×k]ᵀ, or C += ABᵀ (the input gradient dZ·Wᵀ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyTransposedB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        CheckShapes(a.Length, (long)m * k, b.Length, (long)n * k, c.Length, (long)m * n);
        fixed (float* pa = a, pb = b, pc = c)
        {
            // B′[p, j] = b[j·k + p]: columns of B′ are rows of b, so blocks of B′ are packed (transposed) first.
            var operands = new GemmOperands
            {
                A = pa, ARowStride = k, AKStride = 1,
                B = pb, BKStride = 1, BColumnStride = k,
                C = pc, Ldc = n,
                M = m, N = n, K = k,
                Accumulate = accumulate,
                PackB = true,
            };
            GemmJob.Run(operands);
        }
    }

    private static GemmOperands RowMajor(float* a, float* b, float* c, int m, int k, int n)
    {
        var operands = new GemmOperands
        {
            A = a, ARowStride = k, AKStride = 1,
            B = b, BKStride = n, BColumnStride = 1,
            C = c, Ldc = n,
            M = m, N = n, K = k,
        };
        operands.PackB = ShouldPack(operands);
        return operands;
    }

    // In place is faster while B′ stays in L2; pack when it does not, or when its row stride is a multiple of 4 KB
    // (every row of a column block then maps to the same cache sets).
    internal static bool ShouldPack(in GemmOperands operands)
        => operands.BColumnStride != 1
           || (operands.K > 16 && operands.BKStride % 1024 == 0)
           || (long)operands.K * operands.N > 512 * 1024;

    private static void CheckShapes(int aLength, long aNeeded, int bLength, long bNeeded, int cLength, long cNeeded)
    {
        if (aLength < aNeeded || bLength < bNeeded || cLength < cNeeded)
            throw new ArgumentException(
                $"Matrix buffers are too small: A {aLength}/{aNeeded}, B {bLength}/{bNeeded}, C {cLength}/{cNeeded}.");
    }
}
