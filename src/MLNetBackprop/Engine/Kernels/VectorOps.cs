using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>Vectorized level-1 building blocks (axpy, dot) with a hardware-independent rounding order.</summary>
internal static class VectorOps
{
    /// <summary>y += alpha·x, element by element.</summary>
    /// <remarks>
    /// Each element gets exactly one unfused multiply and one add, so the result is the same whatever vector width
    /// the machine has (RyuJIT never contracts a·b + c into a fused multiply-add).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        var n = x.Length;
        if (y.Length < n)
            throw new ArgumentException("y is shorter than x.", nameof(y));
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ys = ref MemoryMarshal.GetReference(y);
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var a = Vector512.Create(alpha);
            for (; (int)i <= n - Vector512<float>.Count; i += (nuint)Vector512<float>.Count)
                (Vector512.LoadUnsafe(ref ys, i) + a * Vector512.LoadUnsafe(ref xs, i)).StoreUnsafe(ref ys, i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var a = Vector256.Create(alpha);
            for (; (int)i <= n - Vector256<float>.Count; i += (nuint)Vector256<float>.Count)
                (Vector256.LoadUnsafe(ref ys, i) + a * Vector256.LoadUnsafe(ref xs, i)).StoreUnsafe(ref ys, i);
        }
        for (; (int)i < n; i++)
            Unsafe.Add(ref ys, i) += alpha * Unsafe.Add(ref xs, i);
    }

    /// <summary>y = fma(alpha, x, y), element by element: one fused multiply-add each.</summary>
    /// <remarks>
    /// A fused multiply-add rounds once whatever the vector width, so every element is the next step of the same FMA
    /// chain the matrix products compute; a row of non-zeros fed through this one by one gives the product's bits.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FusedAxpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        var n = x.Length;
        if (y.Length < n)
            throw new ArgumentException("y is shorter than x.", nameof(y));
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ys = ref MemoryMarshal.GetReference(y);
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var a = Vector512.Create(alpha);
            for (; (int)i <= n - Vector512<float>.Count; i += (nuint)Vector512<float>.Count)
                Vector512.FusedMultiplyAdd(a, Vector512.LoadUnsafe(ref xs, i), Vector512.LoadUnsafe(ref ys, i)).StoreUnsafe(ref ys, i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var a = Vector256.Create(alpha);
            for (; (int)i <= n - Vector256<float>.Count; i += (nuint)Vector256<float>.Count)
                Vector256.FusedMultiplyAdd(a, Vector256.LoadUnsafe(ref xs, i), Vector256.LoadUnsafe(ref ys, i)).StoreUnsafe(ref ys, i);
        }
        for (; (int)i < n; i++)
            Unsafe.Add(ref ys, i) = MathF.FusedMultiplyAdd(alpha, Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
    }

    /// <summary>Σ x[i]·y[i] over the common length.</summary>
    /// <remarks>
    /// Always accumulates in two 8-lane partial sums (blocks of 16, then one block of 8), a scalar tail, and
    /// reduces the lanes left to right, so the summation order depends only on the length, never on the CPU.
    /// Vector256 is emulated where it is not accelerated, with the same per-lane rounding.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var n = x.Length;
        if (y.Length < n)
            throw new ArgumentException("y is shorter than x.", nameof(y));
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ys = ref MemoryMarshal.GetReference(y);
        const int Lanes = 8;
        nuint i = 0;
        var sum = 0f;
        if (n >= Lanes)
        {
            var acc0 = Vector256<float>.Zero;
            var acc1 = Vector256<float>.Zero;
            for (; (int)i <= n - 2 * Lanes; i += 2 * Lanes)
            {
                acc0 += Vector256.LoadUnsafe(ref xs, i) * Vector256.LoadUnsafe(ref ys, i);
                acc1 += Vector256.LoadUnsafe(ref xs, i + Lanes) * Vector256.LoadUnsafe(ref ys, i + Lanes);
            }
            if ((int)i <= n - Lanes)
            {
                acc0 += Vector256.LoadUnsafe(ref xs, i) * Vector256.LoadUnsafe(ref ys, i);
                i += Lanes;
            }
            var acc = acc0 + acc1;
            for (var lane = 0; lane < Lanes; lane++)
                sum += acc.GetElement(lane);
        }
        for (; (int)i < n; i++)
            sum += Unsafe.Add(ref xs, i) * Unsafe.Add(ref ys, i);
        return sum;
    }
}
