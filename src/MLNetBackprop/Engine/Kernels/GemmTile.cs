using System.Runtime.CompilerServices;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// Register-blocked FMA micro-kernels: a tile of 8 (or 1) rows × two vectors of columns of C = A′·B′, where
/// A′[r, p] = a[r·aRow + p·aK] (so A′ may be a transposed view) and B′[p, :] = b[p·ldb ..] is contiguous per row.
/// </summary>
/// <remarks>
/// Every element is one chain of fused multiply-adds over p = 0, 1, …, k−1, started from its initial value.
/// The result therefore does not depend on the tile shape, the vector width or the thread that computed it:
/// all code paths and thread counts give the same bits.
/// </remarks>
internal static unsafe class GemmTile<TV, TL> where TV : struct where TL : struct, IFmaLanes<TV>
{
    /// <summary>Rows of the full tile.</summary>
    public const int Rows = 8;

    /// <summary>Columns of every tile: two vectors.</summary>
    public static int Columns => 2 * TL.Count;

    /// <summary>Computes an 8-row tile into c (row stride ldc); bias is read only when start is Bias.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows8(float* a, nint aRow, nint aK, float* b, nint ldb, int k, float* c, nint ldc, TileStart start, float* bias)
    {
        var w = TL.Count;
        TV c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        if (start == TileStart.Accumulate)
        {
            c00 = TL.Load(c); c01 = TL.Load(c + w);
            c10 = TL.Load(c + ldc); c11 = TL.Load(c + ldc + w);
            c20 = TL.Load(c + 2 * ldc); c21 = TL.Load(c + 2 * ldc + w);
            c30 = TL.Load(c + 3 * ldc); c31 = TL.Load(c + 3 * ldc + w);
            c40 = TL.Load(c + 4 * ldc); c41 = TL.Load(c + 4 * ldc + w);
            c50 = TL.Load(c + 5 * ldc); c51 = TL.Load(c + 5 * ldc + w);
            c60 = TL.Load(c + 6 * ldc); c61 = TL.Load(c + 6 * ldc + w);
            c70 = TL.Load(c + 7 * ldc); c71 = TL.Load(c + 7 * ldc + w);
        }
        else
        {
            var first = start == TileStart.Bias ? TL.Load(bias) : TL.Zero;
            var second = start == TileStart.Bias ? TL.Load(bias + w) : TL.Zero;
            c00 = c10 = c20 = c30 = c40 = c50 = c60 = c70 = first;
            c01 = c11 = c21 = c31 = c41 = c51 = c61 = c71 = second;
        }

        // Three row pointers and one byte stride address all eight rows (row r = a_{3⌊r/3⌋} + (r mod 3)·stride),
        // which leaves enough general registers for the loop to run without spills.
        nint rowBytes = aRow * sizeof(float);
        float* a0 = a, a3 = a + 3 * aRow, a6 = a + 6 * aRow;
        TV b0, b1, x;
        var p = k;
        // Short chains (k of a few tens, as in dZ·Wᵀ of a ten-class layer) run faster in the simple loop below.
        for (; p >= 4 && k >= 32; p -= 4)
        {
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(*a0); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(*(float*)((byte*)a0 + rowBytes)); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(*a3); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(*(float*)((byte*)a3 + rowBytes)); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            x = TL.Broadcast(*a6); c60 = TL.MultiplyAdd(x, b0, c60); c61 = TL.MultiplyAdd(x, b1, c61);
            x = TL.Broadcast(*(float*)((byte*)a6 + rowBytes)); c70 = TL.MultiplyAdd(x, b0, c70); c71 = TL.MultiplyAdd(x, b1, c71);
            a0 += aK; a3 += aK; a6 += aK; b += ldb;
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(*a0); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(*(float*)((byte*)a0 + rowBytes)); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(*a3); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(*(float*)((byte*)a3 + rowBytes)); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            x = TL.Broadcast(*a6); c60 = TL.MultiplyAdd(x, b0, c60); c61 = TL.MultiplyAdd(x, b1, c61);
            x = TL.Broadcast(*(float*)((byte*)a6 + rowBytes)); c70 = TL.MultiplyAdd(x, b0, c70); c71 = TL.MultiplyAdd(x, b1, c71);
            a0 += aK; a3 += aK; a6 += aK; b += ldb;
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(*a0); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(*(float*)((byte*)a0 + rowBytes)); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(*a3); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(*(float*)((byte*)a3 + rowBytes)); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            x = TL.Broadcast(*a6); c60 = TL.MultiplyAdd(x, b0, c60); c61 = TL.MultiplyAdd(x, b1, c61);
            x = TL.Broadcast(*(float*)((byte*)a6 + rowBytes)); c70 = TL.MultiplyAdd(x, b0, c70); c71 = TL.MultiplyAdd(x, b1, c71);
            a0 += aK; a3 += aK; a6 += aK; b += ldb;
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(*a0); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(*(float*)((byte*)a0 + rowBytes)); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(*a3); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(*(float*)((byte*)a3 + rowBytes)); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            x = TL.Broadcast(*a6); c60 = TL.MultiplyAdd(x, b0, c60); c61 = TL.MultiplyAdd(x, b1, c61);
            x = TL.Broadcast(*(float*)((byte*)a6 + rowBytes)); c70 = TL.MultiplyAdd(x, b0, c70); c71 = TL.MultiplyAdd(x, b1, c71);
            a0 += aK; a3 += aK; a6 += aK; b += ldb;
        }
        for (; p > 0; p--)
        {
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(*a0); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(*(float*)((byte*)a0 + rowBytes)); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(*a3); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(*(float*)((byte*)a3 + rowBytes)); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            x = TL.Broadcast(*a6); c60 = TL.MultiplyAdd(x, b0, c60); c61 = TL.MultiplyAdd(x, b1, c61);
            x = TL.Broadcast(*(float*)((byte*)a6 + rowBytes)); c70 = TL.MultiplyAdd(x, b0, c70); c71 = TL.MultiplyAdd(x, b1, c71);
            a0 += aK; a3 += aK; a6 += aK; b += ldb;
        }

        TL.Store(c, c00); TL.Store(c + w, c01);
        TL.Store(c + ldc, c10); TL.Store(c + ldc + w, c11);
        TL.Store(c + 2 * ldc, c20); TL.Store(c + 2 * ldc + w, c21);
        TL.Store(c + 3 * ldc, c30); TL.Store(c + 3 * ldc + w, c31);
        TL.Store(c + 4 * ldc, c40); TL.Store(c + 4 * ldc + w, c41);
        TL.Store(c + 5 * ldc, c50); TL.Store(c + 5 * ldc + w, c51);
        TL.Store(c + 6 * ldc, c60); TL.Store(c + 6 * ldc + w, c61);
        TL.Store(c + 7 * ldc, c70); TL.Store(c + 7 * ldc + w, c71);
    }

    /// <summary>
    /// An 8-row tile one vector wide, for narrow outputs (N of at most one vector, e.g. ten classes): half the
    /// multiply-adds of the two-vector tile, and eight independent chains still cover the FMA latency.
    /// Same addressing and per-element FMA chain as <see cref="Rows8"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows8Narrow(float* a, nint aRow, nint aK, float* b, nint ldb, int k, float* c, nint ldc, TileStart start, float* bias)
    {
        TV c0, c1, c2, c3, c4, c5, c6, c7;
        if (start == TileStart.Accumulate)
        {
            c0 = TL.Load(c); c1 = TL.Load(c + ldc); c2 = TL.Load(c + 2 * ldc); c3 = TL.Load(c + 3 * ldc);
            c4 = TL.Load(c + 4 * ldc); c5 = TL.Load(c + 5 * ldc); c6 = TL.Load(c + 6 * ldc); c7 = TL.Load(c + 7 * ldc);
        }
        else
        {
            c0 = c1 = c2 = c3 = c4 = c5 = c6 = c7 = start == TileStart.Bias ? TL.Load(bias) : TL.Zero;
        }
        nint rowBytes = aRow * sizeof(float);
        float* a0 = a, a3 = a + 3 * aRow, a6 = a + 6 * aRow;
        TV b0;
        var p = k;
        for (; p >= 4; p -= 4)
        {
            b0 = TL.Load(b);
            c0 = TL.MultiplyAdd(TL.Broadcast(*a0), b0, c0);
            c1 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + rowBytes)), b0, c1);
            c2 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)), b0, c2);
            c3 = TL.MultiplyAdd(TL.Broadcast(*a3), b0, c3);
            c4 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + rowBytes)), b0, c4);
            c5 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)), b0, c5);
            c6 = TL.MultiplyAdd(TL.Broadcast(*a6), b0, c6);
            c7 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a6 + rowBytes)), b0, c7);
            a0 += aK; a3 += aK; a6 += aK; b += ldb;
            b0 = TL.Load(b);
            c0 = TL.MultiplyAdd(TL.Broadcast(*a0), b0, c0);
            c1 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + rowBytes)), b0, c1);
            c2 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)), b0, c2);
            c3 = TL.MultiplyAdd(TL.Broadcast(*a3), b0, c3);
            c4 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + rowBytes)), b0, c4);
            c5 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)), b0, c5);
            c6 = TL.MultiplyAdd(TL.Broadcast(*a6), b0, c6);
            c7 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a6 + rowBytes)), b0, c7);
            a0 += aK; a3 += aK; a6 += aK; b += ldb;
            b0 = TL.Load(b);
            c0 = TL.MultiplyAdd(TL.Broadcast(*a0), b0, c0);
            c1 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + rowBytes)), b0, c1);
            c2 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)), b0, c2);
            c3 = TL.MultiplyAdd(TL.Broadcast(*a3), b0, c3);
            c4 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + rowBytes)), b0, c4);
            c5 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)), b0, c5);
            c6 = TL.MultiplyAdd(TL.Broadcast(*a6), b0, c6);
            c7 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a6 + rowBytes)), b0, c7);
            a0 += aK; a3 += aK; a6 += aK; b += ldb;
            b0 = TL.Load(b);
            c0 = TL.MultiplyAdd(TL.Broadcast(*a0), b0, c0);
            c1 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + rowBytes)), b0, c1);
            c2 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)), b0, c2);
            c3 = TL.MultiplyAdd(TL.Broadcast(*a3), b0, c3);
            c4 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + rowBytes)), b0, c4);
            c5 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)), b0, c5);
            c6 = TL.MultiplyAdd(TL.Broadcast(*a6), b0, c6);
            c7 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a6 + rowBytes)), b0, c7);
            a0 += aK; a3 += aK; a6 += aK; b += ldb;
        }
        for (; p > 0; p--)
        {
            b0 = TL.Load(b);
            c0 = TL.MultiplyAdd(TL.Broadcast(*a0), b0, c0);
            c1 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + rowBytes)), b0, c1);
            c2 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)), b0, c2);
            c3 = TL.MultiplyAdd(TL.Broadcast(*a3), b0, c3);
            c4 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + rowBytes)), b0, c4);
            c5 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)), b0, c5);
            c6 = TL.MultiplyAdd(TL.Broadcast(*a6), b0, c6);
            c7 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a6 + rowBytes)), b0, c7);
            a0 += aK; a3 += aK; a6 += aK; b += ldb;
        }
        TL.Store(c, c0); TL.Store(c + ldc, c1); TL.Store(c + 2 * ldc, c2); TL.Store(c + 3 * ldc, c3);
        TL.Store(c + 4 * ldc, c4); TL.Store(c + 5 * ldc, c5); TL.Store(c + 6 * ldc, c6); TL.Store(c + 7 * ldc, c7);
    }

    /// <summary>
    /// An 8-row tile whose rows are adjacent in A′ for each p: A′[r, p] = a[p·aStep + r] (a packed panel, or the
    /// transposed view of a row-major matrix). One pointer walks A′ and one walks B′, and the loop over p is
    /// unrolled four times; each element is still one FMA chain over p in order, so results equal <see cref="Rows8"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows8Adjacent(float* a, nint aStep, float* b, nint bStep, int k, float* c, nint ldc, TileStart start, float* bias)
    {
        var w = TL.Count;
        TV c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        if (start == TileStart.Accumulate)
        {
            c00 = TL.Load(c); c01 = TL.Load(c + w);
            c10 = TL.Load(c + ldc); c11 = TL.Load(c + ldc + w);
            c20 = TL.Load(c + 2 * ldc); c21 = TL.Load(c + 2 * ldc + w);
            c30 = TL.Load(c + 3 * ldc); c31 = TL.Load(c + 3 * ldc + w);
            c40 = TL.Load(c + 4 * ldc); c41 = TL.Load(c + 4 * ldc + w);
            c50 = TL.Load(c + 5 * ldc); c51 = TL.Load(c + 5 * ldc + w);
            c60 = TL.Load(c + 6 * ldc); c61 = TL.Load(c + 6 * ldc + w);
            c70 = TL.Load(c + 7 * ldc); c71 = TL.Load(c + 7 * ldc + w);
        }
        else
        {
            var first = start == TileStart.Bias ? TL.Load(bias) : TL.Zero;
            var second = start == TileStart.Bias ? TL.Load(bias + w) : TL.Zero;
            c00 = c10 = c20 = c30 = c40 = c50 = c60 = c70 = first;
            c01 = c11 = c21 = c31 = c41 = c51 = c61 = c71 = second;
        }

        TV b0, b1, x;
        var p = k;
        for (; p >= 4; p -= 4)
        {
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(a[0]); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(a[1]); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(a[2]); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(a[3]); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(a[4]); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(a[5]); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            x = TL.Broadcast(a[6]); c60 = TL.MultiplyAdd(x, b0, c60); c61 = TL.MultiplyAdd(x, b1, c61);
            x = TL.Broadcast(a[7]); c70 = TL.MultiplyAdd(x, b0, c70); c71 = TL.MultiplyAdd(x, b1, c71);
            a += aStep; b += bStep;
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(a[0]); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(a[1]); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(a[2]); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(a[3]); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(a[4]); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(a[5]); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            x = TL.Broadcast(a[6]); c60 = TL.MultiplyAdd(x, b0, c60); c61 = TL.MultiplyAdd(x, b1, c61);
            x = TL.Broadcast(a[7]); c70 = TL.MultiplyAdd(x, b0, c70); c71 = TL.MultiplyAdd(x, b1, c71);
            a += aStep; b += bStep;
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(a[0]); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(a[1]); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(a[2]); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(a[3]); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(a[4]); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(a[5]); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            x = TL.Broadcast(a[6]); c60 = TL.MultiplyAdd(x, b0, c60); c61 = TL.MultiplyAdd(x, b1, c61);
            x = TL.Broadcast(a[7]); c70 = TL.MultiplyAdd(x, b0, c70); c71 = TL.MultiplyAdd(x, b1, c71);
            a += aStep; b += bStep;
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(a[0]); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(a[1]); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(a[2]); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(a[3]); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(a[4]); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(a[5]); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            x = TL.Broadcast(a[6]); c60 = TL.MultiplyAdd(x, b0, c60); c61 = TL.MultiplyAdd(x, b1, c61);
            x = TL.Broadcast(a[7]); c70 = TL.MultiplyAdd(x, b0, c70); c71 = TL.MultiplyAdd(x, b1, c71);
            a += aStep; b += bStep;
        }
        for (; p > 0; p--)
        {
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(a[0]); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(a[1]); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(a[2]); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(a[3]); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(a[4]); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(a[5]); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            x = TL.Broadcast(a[6]); c60 = TL.MultiplyAdd(x, b0, c60); c61 = TL.MultiplyAdd(x, b1, c61);
            x = TL.Broadcast(a[7]); c70 = TL.MultiplyAdd(x, b0, c70); c71 = TL.MultiplyAdd(x, b1, c71);
            a += aStep; b += bStep;
        }

        TL.Store(c, c00); TL.Store(c + w, c01);
        TL.Store(c + ldc, c10); TL.Store(c + ldc + w, c11);
        TL.Store(c + 2 * ldc, c20); TL.Store(c + 2 * ldc + w, c21);
        TL.Store(c + 3 * ldc, c30); TL.Store(c + 3 * ldc + w, c31);
        TL.Store(c + 4 * ldc, c40); TL.Store(c + 4 * ldc + w, c41);
        TL.Store(c + 5 * ldc, c50); TL.Store(c + 5 * ldc + w, c51);
        TL.Store(c + 6 * ldc, c60); TL.Store(c + 6 * ldc + w, c61);
        TL.Store(c + 7 * ldc, c70); TL.Store(c + 7 * ldc + w, c71);
    }

    /// <summary>
    /// One row of eight vectors (the single-row prediction case): eight independent chains keep the FMA units
    /// busy where two would wait on latency. c must hold 8·Count columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row1Wide(float* a, nint aK, float* b, nint ldb, int k, float* c, TileStart start, float* bias)
    {
        var w = TL.Count;
        TV c0, c1, c2, c3, c4, c5, c6, c7;
        if (start == TileStart.Zero)
        {
            c0 = c1 = c2 = c3 = c4 = c5 = c6 = c7 = TL.Zero;
        }
        else
        {
            var init = start == TileStart.Bias ? bias : c;
            c0 = TL.Load(init); c1 = TL.Load(init + w); c2 = TL.Load(init + 2 * w); c3 = TL.Load(init + 3 * w);
            c4 = TL.Load(init + 4 * w); c5 = TL.Load(init + 5 * w); c6 = TL.Load(init + 6 * w); c7 = TL.Load(init + 7 * w);
        }
        nint offset = 0;
        for (var p = 0; p < k; p++)
        {
            var x = TL.Broadcast(a[offset]);
            c0 = TL.MultiplyAdd(x, TL.Load(b), c0);
            c1 = TL.MultiplyAdd(x, TL.Load(b + w), c1);
            c2 = TL.MultiplyAdd(x, TL.Load(b + 2 * w), c2);
            c3 = TL.MultiplyAdd(x, TL.Load(b + 3 * w), c3);
            c4 = TL.MultiplyAdd(x, TL.Load(b + 4 * w), c4);
            c5 = TL.MultiplyAdd(x, TL.Load(b + 5 * w), c5);
            c6 = TL.MultiplyAdd(x, TL.Load(b + 6 * w), c6);
            c7 = TL.MultiplyAdd(x, TL.Load(b + 7 * w), c7);
            offset += aK;
            b += ldb;
        }
        TL.Store(c, c0); TL.Store(c + w, c1); TL.Store(c + 2 * w, c2); TL.Store(c + 3 * w, c3);
        TL.Store(c + 4 * w, c4); TL.Store(c + 5 * w, c5); TL.Store(c + 6 * w, c6); TL.Store(c + 7 * w, c7);
    }

    /// <summary>One row of the tile width (two vectors): the row tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row1(float* a, nint aK, float* b, nint ldb, int k, float* c, TileStart start, float* bias)
    {
        var w = TL.Count;
        TV c0, c1;
        if (start == TileStart.Zero)
        {
            c0 = c1 = TL.Zero;
        }
        else
        {
            var init = start == TileStart.Bias ? bias : c;
            c0 = TL.Load(init);
            c1 = TL.Load(init + w);
        }
        nint offset = 0;
        for (var p = 0; p < k; p++)
        {
            var x = TL.Broadcast(a[offset]);
            c0 = TL.MultiplyAdd(x, TL.Load(b), c0);
            c1 = TL.MultiplyAdd(x, TL.Load(b + w), c1);
            offset += aK;
            b += ldb;
        }
        TL.Store(c, c0);
        TL.Store(c + w, c1);
    }
}
