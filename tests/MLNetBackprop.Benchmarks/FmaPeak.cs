using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNetBackprop.Benchmarks;

/// <summary>A loop of independent FMAs on registers only: what one core can do at best.</summary>
internal static class FmaPeak
{
    private static readonly float[] Operands = [1.0000001f, 0.9999999f, 0f];

    /// <summary>Runs <paramref name="iterations"/> × 16 vector FMAs and returns the floating-point operations done.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static double Run(int iterations)
    {
        // Operands from memory so the JIT cannot fold the chains.
        var x = Vector512.Create(Operands[0]);
        var y = Vector512.Create(Operands[1]);
        Vector512<float> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x;
        Vector512<float> a8 = x, a9 = x, a10 = x, a11 = x, a12 = x, a13 = x, a14 = x, a15 = x;
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
        var sum = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15;
        Operands[2] = sum.ToScalar();
        return iterations * 16.0 * Vector512<float>.Count * 2;
    }
}
