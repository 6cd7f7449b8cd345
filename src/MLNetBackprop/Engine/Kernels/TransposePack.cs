using System.Runtime.Intrinsics.X86;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// Packs a column panel of B′ = bᵀ eight columns at a time: eight rows of b are read as vectors and transposed in
/// registers, so each packed row receives its eight adjacent floats in one store. Element by element this is the
/// same copy as the scalar loop (the input gradient dZ·Wᵀ of a wide layer spent a tenth of its time in that loop).
/// </summary>
internal static unsafe class TransposePack
{
    /// <summary>
    /// destination[p·destinationStride + i] = first[i·rowStride + p] for i &lt; 8 and p below the largest multiple of
    /// 8 not above <paramref name="count"/>; returns that multiple (0 without AVX), the rest is the caller's.
    /// </summary>
    public static int EightRows(float* first, nint rowStride, int count, float* destination, nint destinationStride)
    {
        if (!Avx.IsSupported)
            return 0;
        var p = 0;
        for (; p + 8 <= count; p += 8)
        {
            var source = first + p;
            var r0 = Avx.LoadVector256(source);
            var r1 = Avx.LoadVector256(source + rowStride);
            var r2 = Avx.LoadVector256(source + 2 * rowStride);
            var r3 = Avx.LoadVector256(source + 3 * rowStride);
            var r4 = Avx.LoadVector256(source + 4 * rowStride);
            var r5 = Avx.LoadVector256(source + 5 * rowStride);
            var r6 = Avx.LoadVector256(source + 6 * rowStride);
            var r7 = Avx.LoadVector256(source + 7 * rowStride);
            // Pairs of rows interleaved, then quadruples, then the 128-bit halves exchanged.
            var (t0, t1) = (Avx.UnpackLow(r0, r1), Avx.UnpackHigh(r0, r1));
            var (t2, t3) = (Avx.UnpackLow(r2, r3), Avx.UnpackHigh(r2, r3));
            var (t4, t5) = (Avx.UnpackLow(r4, r5), Avx.UnpackHigh(r4, r5));
            var (t6, t7) = (Avx.UnpackLow(r6, r7), Avx.UnpackHigh(r6, r7));
            var (u0, u1) = (Avx.Shuffle(t0, t2, 0x44), Avx.Shuffle(t0, t2, 0xEE));
            var (u2, u3) = (Avx.Shuffle(t1, t3, 0x44), Avx.Shuffle(t1, t3, 0xEE));
            var (u4, u5) = (Avx.Shuffle(t4, t6, 0x44), Avx.Shuffle(t4, t6, 0xEE));
            var (u6, u7) = (Avx.Shuffle(t5, t7, 0x44), Avx.Shuffle(t5, t7, 0xEE));
            var d = destination + p * destinationStride;
            Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(d + destinationStride, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(d + 2 * destinationStride, Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(d + 3 * destinationStride, Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(d + 4 * destinationStride, Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(d + 5 * destinationStride, Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(d + 6 * destinationStride, Avx.Permute2x128(u2, u6, 0x31));
            Avx.Store(d + 7 * destinationStride, Avx.Permute2x128(u3, u7, 0x31));
        }
        return p;
    }
}
