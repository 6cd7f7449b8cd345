using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using MLNetBackprop.Engine.Kernels;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// Loops of independent FMAs on registers only: what one core can do at best at a SIMD level. Each level keeps as many
/// accumulator chains as its registers hold beside the two operands (16 zmm of 32 for AVX-512, 12 of the 16 ymm or xmm
/// registers of AVX2 and SSE, which also suffices for NEON's 32), enough to cover two FMA units' latency. One loop per
/// level, written out: a generic loop over the engine's lane types kept its chains in memory at 512 bits.
/// </summary>
internal static class FmaPeak
{
    private static readonly float[] Operands = [1.0000001f, 0.9999999f, 0f];

    /// <summary>The levels this CPU runs natively, widest first.</summary>
    public static SimdLevel[] Levels() =>
    [
        .. Vector512.IsHardwareAccelerated ? [SimdLevel.Vector512] : Array.Empty<SimdLevel>(),
        .. Vector256.IsHardwareAccelerated ? [SimdLevel.Vector256] : Array.Empty<SimdLevel>(),
        .. Vector128.IsHardwareAccelerated ? [SimdLevel.Vector128] : Array.Empty<SimdLevel>(),
    ];

    /// <summary>Runs <paramref name="iterations"/> rounds of FMAs at <paramref name="level"/> and returns the floating-point operations done.</summary>
    public static double Run(SimdLevel level, int iterations) => level switch
    {
        SimdLevel.Vector512 => Run512(iterations),
        SimdLevel.Vector256 => Run256(iterations),
        SimdLevel.Vector128 => Run128(iterations),
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "No FMA peak loop for this level."),
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static double Run512(int iterations)
    {
        // Operands from memory so the JIT cannot fold the chains; explicit locals, which the JIT keeps in registers.
        var x = Vector512.Create(Operands[0]);
        var y = Vector512.Create(Operands[1]);
        Vector512<float> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x, a10 = x, a11 = x, a12 = x, a13 = x, a14 = x, a15 = x;
        for (var i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, y, x); a1 = Vector512.FusedMultiplyAdd(a1, y, x);
            a2 = Vector512.FusedMultiplyAdd(a2, y, x); a3 = Vector512.FusedMultiplyAdd(a3, y, x);
            a4 = Vector512.FusedMultiplyAdd(a4, y, x); a5 = Vector512.FusedMultiplyAdd(a5, y, x);
            a6 = Vector512.FusedMultiplyAdd(a6, y, x); a7 = Vector512.FusedMultiplyAdd(a7, y, x);
            a8 = Vector512.FusedMultiplyAdd(a8, y, x); a9 = Vector512.FusedMultiplyAdd(a9, y, x);
            a10 = Vector512.FusedMultiplyAdd(a10, y, x); a11 = Vector512.FusedMultiplyAdd(a11, y, x);
            a12 = Vector512.FusedMultiplyAdd(a12, y, x); a13 = Vector512.FusedMultiplyAdd(a13, y, x);
            a14 = Vector512.FusedMultiplyAdd(a14, y, x); a15 = Vector512.FusedMultiplyAdd(a15, y, x);
        }
        Operands[2] = (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15).ToScalar();
        return iterations * 16.0 * Vector512<float>.Count * 2;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static double Run256(int iterations)
    {
        // Operands from memory so the JIT cannot fold the chains; explicit locals, which the JIT keeps in registers.
        var x = Vector256.Create(Operands[0]);
        var y = Vector256.Create(Operands[1]);
        Vector256<float> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x, a10 = x, a11 = x;
        for (var i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, y, x); a1 = Vector256.FusedMultiplyAdd(a1, y, x);
            a2 = Vector256.FusedMultiplyAdd(a2, y, x); a3 = Vector256.FusedMultiplyAdd(a3, y, x);
            a4 = Vector256.FusedMultiplyAdd(a4, y, x); a5 = Vector256.FusedMultiplyAdd(a5, y, x);
            a6 = Vector256.FusedMultiplyAdd(a6, y, x); a7 = Vector256.FusedMultiplyAdd(a7, y, x);
            a8 = Vector256.FusedMultiplyAdd(a8, y, x); a9 = Vector256.FusedMultiplyAdd(a9, y, x);
            a10 = Vector256.FusedMultiplyAdd(a10, y, x); a11 = Vector256.FusedMultiplyAdd(a11, y, x);
        }
        Operands[2] = (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).ToScalar();
        return iterations * 12.0 * Vector256<float>.Count * 2;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static double Run128(int iterations)
    {
        // Operands from memory so the JIT cannot fold the chains; explicit locals, which the JIT keeps in registers.
        var x = Vector128.Create(Operands[0]);
        var y = Vector128.Create(Operands[1]);
        Vector128<float> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x, a10 = x, a11 = x;
        for (var i = 0; i < iterations; i++)
        {
            a0 = Vector128.FusedMultiplyAdd(a0, y, x); a1 = Vector128.FusedMultiplyAdd(a1, y, x);
            a2 = Vector128.FusedMultiplyAdd(a2, y, x); a3 = Vector128.FusedMultiplyAdd(a3, y, x);
            a4 = Vector128.FusedMultiplyAdd(a4, y, x); a5 = Vector128.FusedMultiplyAdd(a5, y, x);
            a6 = Vector128.FusedMultiplyAdd(a6, y, x); a7 = Vector128.FusedMultiplyAdd(a7, y, x);
            a8 = Vector128.FusedMultiplyAdd(a8, y, x); a9 = Vector128.FusedMultiplyAdd(a9, y, x);
            a10 = Vector128.FusedMultiplyAdd(a10, y, x); a11 = Vector128.FusedMultiplyAdd(a11, y, x);
        }
        Operands[2] = (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).ToScalar();
        return iterations * 12.0 * Vector128<float>.Count * 2;
    }
}
