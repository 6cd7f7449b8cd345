using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// Vectorized ReLU and leaky ReLU, forward and backward. They only compare, select and multiply, which round
/// exactly as the scalar formulas do, so results match the scalar definitions bit for bit (NaN passes through).
/// A slope of exactly 0 selects +0 instead of multiplying, as ReLU's scalar rule does (0·x would give −0 or NaN).
/// </summary>
internal static class PiecewiseLinear
{
    /// <summary>destination[i] = source[i] &gt; 0 or NaN ? source[i] : slope·source[i] (slope 0 is ReLU).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(float slope, ReadOnlySpan<float> source, Span<float> destination)
    {
        var n = source.Length;
        if (destination.Length < n)
            throw new ArgumentException("destination is shorter than source.", nameof(destination));
        var leaky = slope != 0f;
        ref var x = ref MemoryMarshal.GetReference(source);
        ref var y = ref MemoryMarshal.GetReference(destination);
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var s = Vector512.Create(slope);
            for (; (int)i <= n - Vector512<float>.Count; i += (nuint)Vector512<float>.Count)
            {
                var v = Vector512.LoadUnsafe(ref x, i);
                // x ≤ 0 is false for NaN, so NaN keeps its value as in the scalar rule.
                Vector512.ConditionalSelect(Vector512.LessThanOrEqual(v, Vector512<float>.Zero), leaky ? s * v : Vector512<float>.Zero, v).StoreUnsafe(ref y, i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(slope);
            for (; (int)i <= n - Vector256<float>.Count; i += (nuint)Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref x, i);
                Vector256.ConditionalSelect(Vector256.LessThanOrEqual(v, Vector256<float>.Zero), leaky ? s * v : Vector256<float>.Zero, v).StoreUnsafe(ref y, i);
            }
        }
        for (; (int)i < n; i++)
        {
            var v = Unsafe.Add(ref x, i);
            Unsafe.Add(ref y, i) = v <= 0f ? (leaky ? slope * v : 0f) : v;
        }
    }

    /// <summary>gradient[i] = preActivation[i] &gt; 0 ? gradient[i] : slope·gradient[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(float slope, ReadOnlySpan<float> preActivation, Span<float> gradient)
    {
        var n = gradient.Length;
        if (preActivation.Length < n)
            throw new ArgumentException("preActivation is shorter than gradient.", nameof(preActivation));
        var leaky = slope != 0f;
        ref var z = ref MemoryMarshal.GetReference(preActivation);
        ref var g = ref MemoryMarshal.GetReference(gradient);
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var s = Vector512.Create(slope);
            for (; (int)i <= n - Vector512<float>.Count; i += (nuint)Vector512<float>.Count)
            {
                var v = Vector512.LoadUnsafe(ref g, i);
                var positive = Vector512.GreaterThan(Vector512.LoadUnsafe(ref z, i), Vector512<float>.Zero);
                Vector512.ConditionalSelect(positive, v, leaky ? s * v : Vector512<float>.Zero).StoreUnsafe(ref g, i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(slope);
            for (; (int)i <= n - Vector256<float>.Count; i += (nuint)Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref g, i);
                var positive = Vector256.GreaterThan(Vector256.LoadUnsafe(ref z, i), Vector256<float>.Zero);
                Vector256.ConditionalSelect(positive, v, leaky ? s * v : Vector256<float>.Zero).StoreUnsafe(ref g, i);
            }
        }
        for (; (int)i < n; i++)
        {
            ref var v = ref Unsafe.Add(ref g, i);
            v = Unsafe.Add(ref z, i) > 0f ? v : leaky ? slope * v : 0f;
        }
    }
}
