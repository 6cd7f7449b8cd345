using System.Runtime.CompilerServices;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// Single-threaded float32 products of row-major matrices, the three shapes backpropagation needs. Every output
/// element is summed in a fixed order (over the shared dimension, first index first), so results are deterministic.
/// </summary>
internal static class MatrixMultiply
{
    /// <summary>C[m×n] = A[m×k]·B[k×n], or C += A·B when <paramref name="accumulate"/> is set (forward pass).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        CheckShapes(a.Length, (long)m * k, b.Length, (long)k * n, c.Length, (long)m * n);
        if (!accumulate)
            c[..(m * n)].Clear();
        // i-k-j order: the inner loop streams contiguous rows of B and C.
        for (var i = 0; i < m; i++)
        {
            var aRow = a.Slice(i * k, k);
            var cRow = c.Slice(i * n, n);
            for (var p = 0; p < k; p++)
                VectorOps.Axpy(aRow[p], b.Slice(p * n, n), cRow);
        }
    }

    /// <summary>C[k×n] = A[m×k]ᵀ·B[m×n], or C += AᵀB (the weight gradient Xᵀ·dZ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyTransposedA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        CheckShapes(a.Length, (long)m * k, b.Length, (long)m * n, c.Length, (long)k * n);
        if (!accumulate)
            c[..(k * n)].Clear();
        // Row r of A and B together contribute the outer product A[r,:]ᵀ·B[r,:]; rows are added in order.
        for (var r = 0; r < m; r++)
        {
            var aRow = a.Slice(r * k, k);
            var bRow = b.Slice(r * n, n);
            for (var p = 0; p < k; p++)
                VectorOps.Axpy(aRow[p], bRow, c.Slice(p * n, n));
        }
    }

    /// <summary>C[m×n] = A[m×k]·B[n×k]ᵀ, or C += ABᵀ (the input gradient dZ·Wᵀ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyTransposedB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        CheckShapes(a.Length, (long)m * k, b.Length, (long)n * k, c.Length, (long)m * n);
        // Both operands are read along contiguous rows, so every element is one dot product.
        for (var i = 0; i < m; i++)
        {
            var aRow = a.Slice(i * k, k);
            var cRow = c.Slice(i * n, n);
            for (var j = 0; j < n; j++)
            {
                var dot = VectorOps.Dot(aRow, b.Slice(j * k, k));
                cRow[j] = accumulate ? cRow[j] + dot : dot;
            }
        }
    }

    private static void CheckShapes(int aLength, long aNeeded, int bLength, long bNeeded, int cLength, long cNeeded)
    {
        if (aLength < aNeeded || bLength < bNeeded || cLength < cNeeded)
            throw new ArgumentException(
                $"Matrix buffers are too small: A {aLength}/{aNeeded}, B {bLength}/{bNeeded}, C {cLength}/{cNeeded}.");
    }
}
