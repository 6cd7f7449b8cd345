using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// Packs by transposing eight floats of up to eight rows at a time in registers: eight rows of b into a column panel of
/// B′ = bᵀ (each packed row receives its eight adjacent floats in one store), and a row tile of A′ from rows of A whose
/// shared dimension is contiguous (each p receives the tile's rows side by side). Element by element this is the same
/// copy as the scalar loop, which moves one float per load and store (a tenth of a wide input gradient's time).
/// </summary>
internal static unsafe class TransposePack
{
    /// <summary>Most rows one call of <see cref="Rows"/> transposes: the eight vectors of an 8 × 8 transpose.</summary>
    public const int MaxRows = 8;

    /// <summary>
    /// destination[p·destinationStride + i] = first[i·rowStride + p] for i &lt; <paramref name="rows"/> (1 to <see cref="MaxRows"/>) and p
    /// below the largest multiple of 8 not above <paramref name="count"/>; returns that multiple (0 without AVX), the rest
    /// is the caller's. Writes only those floats, so tiles packed side by side (by several threads) never overlap. With
    /// <paramref name="next"/>, the first of eight more rows of the same stride, it requests their lines as it goes, one
    /// line of each row per 16 floats: rows of b 2 KB long are too short for the hardware prefetcher to get ahead.
    /// </summary>
    public static int Rows(float* first, nint rowStride, int rows, int count, float* destination, nint destinationStride, float* next = null)
    {
        if (!Avx.IsSupported || rows is < 1 or > MaxRows)
            return 0;
        // Rows beyond `rows` repeat the last one: their lanes are never stored.
        var last = rows - 1;
        nint o1 = Math.Min(1, last) * rowStride, o2 = Math.Min(2, last) * rowStride, o3 = Math.Min(3, last) * rowStride;
        nint o4 = Math.Min(4, last) * rowStride, o5 = Math.Min(5, last) * rowStride, o6 = Math.Min(6, last) * rowStride;
        var o7 = last * rowStride;
        var p = 0;
        for (; p + 8 <= count; p += 8)
        {
            var source = first + p;
            if (next != null && p % 16 == 0)
                RequestColumn(next + p, rowStride);
            var r0 = Avx.LoadVector256(source);
            var r1 = Avx.LoadVector256(source + o1);
            var r2 = Avx.LoadVector256(source + o2);
            var r3 = Avx.LoadVector256(source + o3);
            var r4 = Avx.LoadVector256(source + o4);
            var r5 = Avx.LoadVector256(source + o5);
            var r6 = Avx.LoadVector256(source + o6);
            var r7 = Avx.LoadVector256(source + o7);
            // Pairs of rows interleaved, then quadruples, then the 128-bit halves exchanged: vector i holds column i.
            var (t0, t1) = (Avx.UnpackLow(r0, r1), Avx.UnpackHigh(r0, r1));
            var (t2, t3) = (Avx.UnpackLow(r2, r3), Avx.UnpackHigh(r2, r3));
            var (t4, t5) = (Avx.UnpackLow(r4, r5), Avx.UnpackHigh(r4, r5));
            var (t6, t7) = (Avx.UnpackLow(r6, r7), Avx.UnpackHigh(r6, r7));
            var (u0, u1) = (Avx.Shuffle(t0, t2, 0x44), Avx.Shuffle(t0, t2, 0xEE));
            var (u2, u3) = (Avx.Shuffle(t1, t3, 0x44), Avx.Shuffle(t1, t3, 0xEE));
            var (u4, u5) = (Avx.Shuffle(t4, t6, 0x44), Avx.Shuffle(t4, t6, 0xEE));
            var (u6, u7) = (Avx.Shuffle(t5, t7, 0x44), Avx.Shuffle(t5, t7, 0xEE));
            var d = destination + p * destinationStride;
            StoreFirst(d, Avx.Permute2x128(u0, u4, 0x20), rows);
            StoreFirst(d + destinationStride, Avx.Permute2x128(u1, u5, 0x20), rows);
            StoreFirst(d + 2 * destinationStride, Avx.Permute2x128(u2, u6, 0x20), rows);
            StoreFirst(d + 3 * destinationStride, Avx.Permute2x128(u3, u7, 0x20), rows);
            StoreFirst(d + 4 * destinationStride, Avx.Permute2x128(u0, u4, 0x31), rows);
            StoreFirst(d + 5 * destinationStride, Avx.Permute2x128(u1, u5, 0x31), rows);
            StoreFirst(d + 6 * destinationStride, Avx.Permute2x128(u2, u6, 0x31), rows);
            StoreFirst(d + 7 * destinationStride, Avx.Permute2x128(u3, u7, 0x31), rows);
        }
        return p;
    }

    // The line holding `start` and those at the same place in the seven rows below it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RequestColumn(float* start, nint rowStride)
    {
        for (var i = 0; i < 8; i++)
            Sse.Prefetch0(start + i * rowStride);
    }

    // The first `count` floats of v (1 to 8) at d: a vector store for 8, else 4, 2 and 1 at a time.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFirst(float* d, Vector256<float> v, int count)
    {
        if (count == 8)
        {
            Avx.Store(d, v);
            return;
        }
        var part = v.GetLower();
        if (count >= 4)
        {
            Sse.Store(d, part);
            part = v.GetUpper();
            d += 4;
            count -= 4;
        }
        if (count >= 2)
        {
            Sse2.StoreScalar((double*)d, part.AsDouble());
            part = Sse.MoveHighToLow(part, part);
            d += 2;
            count -= 2;
        }
        if (count == 1)
            Sse.StoreScalar(d, part);
    }
}
