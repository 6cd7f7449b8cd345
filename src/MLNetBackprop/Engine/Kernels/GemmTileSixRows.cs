using System.Runtime.CompilerServices;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// The micro-kernels of the 256-bit (AVX2) path: tiles of 6 rows × two vectors of columns of C = A′·B′, addressed
/// like <see cref="GemmTile{TV, TL}"/>'s. Twelve accumulators, two B′ vectors and one broadcast fill 15 of the 16 ymm
/// registers an AVX2 CPU has, where the 8-row tile's 16 accumulators would spill on every step.
/// </summary>
/// <remarks>
/// Every element is one chain of fused multiply-adds over p = 0, 1, …, k−1 from its initial value, as in
/// <see cref="GemmTile{TV, TL}"/>, so the 6-row tiles give the same bits as the 8-row ones.
/// </remarks>
internal static unsafe class GemmTileSixRows<TV, TL> where TV : struct where TL : struct, IFmaLanes<TV>
{
    /// <summary>Rows of the full tile.</summary>
    public const int Rows = 6;

    /// <summary>Computes a 6-row tile into c (row stride ldc); A′[r, p] = a[r·aRow + p·aK]; bias is read only when start is Bias.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(float* a, nint aRow, nint aK, float* b, nint ldb, int k, float* c, nint ldc, TileStart start, float* bias)
    {
        var w = TL.Count;
        TV c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (start == TileStart.Accumulate)
        {
            c00 = TL.Load(c); c01 = TL.Load(c + w);
            c10 = TL.Load(c + ldc); c11 = TL.Load(c + ldc + w);
            c20 = TL.Load(c + 2 * ldc); c21 = TL.Load(c + 2 * ldc + w);
            c30 = TL.Load(c + 3 * ldc); c31 = TL.Load(c + 3 * ldc + w);
            c40 = TL.Load(c + 4 * ldc); c41 = TL.Load(c + 4 * ldc + w);
            c50 = TL.Load(c + 5 * ldc); c51 = TL.Load(c + 5 * ldc + w);
        }
        else
        {
            var first = start == TileStart.Bias ? TL.Load(bias) : TL.Zero;
            var second = start == TileStart.Bias ? TL.Load(bias + w) : TL.Zero;
            c00 = c10 = c20 = c30 = c40 = c50 = first;
            c01 = c11 = c21 = c31 = c41 = c51 = second;
        }

        // Two row pointers and one byte stride address the six rows (row r = a_{3⌊r/3⌋} + (r mod 3)·stride).
        nint rowBytes = aRow * sizeof(float);
        float* a0 = a, a3 = a + 3 * aRow;
        TV b0, b1, x;
        var p = k;
        for (; p >= 4; p -= 4)
        {
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(*a0); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(*(float*)((byte*)a0 + rowBytes)); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(*a3); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(*(float*)((byte*)a3 + rowBytes)); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            a0 += aK; a3 += aK; b += ldb;
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(*a0); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(*(float*)((byte*)a0 + rowBytes)); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(*a3); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(*(float*)((byte*)a3 + rowBytes)); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            a0 += aK; a3 += aK; b += ldb;
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(*a0); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(*(float*)((byte*)a0 + rowBytes)); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(*a3); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(*(float*)((byte*)a3 + rowBytes)); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            a0 += aK; a3 += aK; b += ldb;
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(*a0); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(*(float*)((byte*)a0 + rowBytes)); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(*a3); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(*(float*)((byte*)a3 + rowBytes)); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            a0 += aK; a3 += aK; b += ldb;
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
            a0 += aK; a3 += aK; b += ldb;
        }

        TL.Store(c, c00); TL.Store(c + w, c01);
        TL.Store(c + ldc, c10); TL.Store(c + ldc + w, c11);
        TL.Store(c + 2 * ldc, c20); TL.Store(c + 2 * ldc + w, c21);
        TL.Store(c + 3 * ldc, c30); TL.Store(c + 3 * ldc + w, c31);
        TL.Store(c + 4 * ldc, c40); TL.Store(c + 4 * ldc + w, c41);
        TL.Store(c + 5 * ldc, c50); TL.Store(c + 5 * ldc + w, c51);
    }

    /// <summary>
    /// A 6-row tile whose rows are adjacent in A′ for each p: A′[r, p] = a[p·aStep + r] (a packed panel, or the
    /// transposed view of a row-major matrix); same per-element FMA chain as <see cref="Tile"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Adjacent(float* a, nint aStep, float* b, nint bStep, int k, float* c, nint ldc, TileStart start, float* bias)
    {
        var w = TL.Count;
        TV c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (start == TileStart.Accumulate)
        {
            c00 = TL.Load(c); c01 = TL.Load(c + w);
            c10 = TL.Load(c + ldc); c11 = TL.Load(c + ldc + w);
            c20 = TL.Load(c + 2 * ldc); c21 = TL.Load(c + 2 * ldc + w);
            c30 = TL.Load(c + 3 * ldc); c31 = TL.Load(c + 3 * ldc + w);
            c40 = TL.Load(c + 4 * ldc); c41 = TL.Load(c + 4 * ldc + w);
            c50 = TL.Load(c + 5 * ldc); c51 = TL.Load(c + 5 * ldc + w);
        }
        else
        {
            var first = start == TileStart.Bias ? TL.Load(bias) : TL.Zero;
            var second = start == TileStart.Bias ? TL.Load(bias + w) : TL.Zero;
            c00 = c10 = c20 = c30 = c40 = c50 = first;
            c01 = c11 = c21 = c31 = c41 = c51 = second;
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
            a += aStep; b += bStep;
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(a[0]); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(a[1]); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(a[2]); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(a[3]); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(a[4]); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(a[5]); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            a += aStep; b += bStep;
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(a[0]); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(a[1]); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(a[2]); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(a[3]); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(a[4]); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(a[5]); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            a += aStep; b += bStep;
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(a[0]); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(a[1]); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(a[2]); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(a[3]); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(a[4]); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(a[5]); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
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
            a += aStep; b += bStep;
        }

        TL.Store(c, c00); TL.Store(c + w, c01);
        TL.Store(c + ldc, c10); TL.Store(c + ldc + w, c11);
        TL.Store(c + 2 * ldc, c20); TL.Store(c + 2 * ldc + w, c21);
        TL.Store(c + 3 * ldc, c30); TL.Store(c + 3 * ldc + w, c31);
        TL.Store(c + 4 * ldc, c40); TL.Store(c + 4 * ldc + w, c41);
        TL.Store(c + 5 * ldc, c50); TL.Store(c + 5 * ldc + w, c51);
    }

    /// <summary>
    /// A 6-row tile one vector wide, for narrow outputs (N of at most one vector); same addressing and per-element
    /// FMA chain as <see cref="Tile"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Narrow(float* a, nint aRow, nint aK, float* b, nint ldb, int k, float* c, nint ldc, TileStart start, float* bias)
    {
        TV c0, c1, c2, c3, c4, c5;
        if (start == TileStart.Accumulate)
        {
            c0 = TL.Load(c);
            c1 = TL.Load(c + ldc);
            c2 = TL.Load(c + 2 * ldc);
            c3 = TL.Load(c + 3 * ldc);
            c4 = TL.Load(c + 4 * ldc);
            c5 = TL.Load(c + 5 * ldc);
        }
        else
        {
            c0 = c1 = c2 = c3 = c4 = c5 = start == TileStart.Bias ? TL.Load(bias) : TL.Zero;
        }
        nint rowBytes = aRow * sizeof(float);
        float* a0 = a, a3 = a + 3 * aRow;
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
            a0 += aK; a3 += aK; b += ldb;
            b0 = TL.Load(b);
            c0 = TL.MultiplyAdd(TL.Broadcast(*a0), b0, c0);
            c1 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + rowBytes)), b0, c1);
            c2 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)), b0, c2);
            c3 = TL.MultiplyAdd(TL.Broadcast(*a3), b0, c3);
            c4 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + rowBytes)), b0, c4);
            c5 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)), b0, c5);
            a0 += aK; a3 += aK; b += ldb;
            b0 = TL.Load(b);
            c0 = TL.MultiplyAdd(TL.Broadcast(*a0), b0, c0);
            c1 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + rowBytes)), b0, c1);
            c2 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)), b0, c2);
            c3 = TL.MultiplyAdd(TL.Broadcast(*a3), b0, c3);
            c4 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + rowBytes)), b0, c4);
            c5 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)), b0, c5);
            a0 += aK; a3 += aK; b += ldb;
            b0 = TL.Load(b);
            c0 = TL.MultiplyAdd(TL.Broadcast(*a0), b0, c0);
            c1 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + rowBytes)), b0, c1);
            c2 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)), b0, c2);
            c3 = TL.MultiplyAdd(TL.Broadcast(*a3), b0, c3);
            c4 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + rowBytes)), b0, c4);
            c5 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)), b0, c5);
            a0 += aK; a3 += aK; b += ldb;
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
            a0 += aK; a3 += aK; b += ldb;
        }
        TL.Store(c, c0);
        TL.Store(c + ldc, c1);
        TL.Store(c + 2 * ldc, c2);
        TL.Store(c + 3 * ldc, c3);
        TL.Store(c + 4 * ldc, c4);
        TL.Store(c + 5 * ldc, c5);
    }
}
