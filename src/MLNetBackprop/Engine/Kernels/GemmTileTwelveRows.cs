using System.Runtime.CompilerServices;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// The micro-kernels of the 128-bit (ARM64 AdvSimd) path: tiles of 12 rows × two vectors of columns of C = A′·B′,
/// addressed like <see cref="GemmTile{TV, TL}"/>'s. Twenty-four accumulators, two B′ vectors and one broadcast use 27
/// of NEON's 32 registers: twice the independent FMA chains of the 8-row tile, enough to cover four FMA pipes of four
/// cycles' latency, with fewer loads per multiply-add.
/// </summary>
/// <remarks>
/// Every element is one chain of fused multiply-adds over p = 0, 1, …, k−1 from its initial value, as in
/// <see cref="GemmTile{TV, TL}"/>, so the 12-row tiles give the same bits as the 8-row ones.
/// </remarks>
internal static unsafe class GemmTileTwelveRows<TV, TL> where TV : struct where TL : struct, IFmaLanes<TV>
{
    /// <summary>Rows of the full tile.</summary>
    public const int Rows = 12;

    /// <summary>Computes a 12-row tile into c (row stride ldc); A′[r, p] = a[r·aRow + p·aK]; bias is read only when start is Bias.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(float* a, nint aRow, nint aK, float* b, nint ldb, int k, float* c, nint ldc, TileStart start, float* bias)
    {
        var w = TL.Count;
        TV c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71, c80, c81, c90, c91, c100, c101, c110, c111;
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
            c80 = TL.Load(c + 8 * ldc); c81 = TL.Load(c + 8 * ldc + w);
            c90 = TL.Load(c + 9 * ldc); c91 = TL.Load(c + 9 * ldc + w);
            c100 = TL.Load(c + 10 * ldc); c101 = TL.Load(c + 10 * ldc + w);
            c110 = TL.Load(c + 11 * ldc); c111 = TL.Load(c + 11 * ldc + w);
        }
        else
        {
            var first = start == TileStart.Bias ? TL.Load(bias) : TL.Zero;
            var second = start == TileStart.Bias ? TL.Load(bias + w) : TL.Zero;
            c00 = c10 = c20 = c30 = c40 = c50 = c60 = c70 = c80 = c90 = c100 = c110 = first;
            c01 = c11 = c21 = c31 = c41 = c51 = c61 = c71 = c81 = c91 = c101 = c111 = second;
        }

        // Four row pointers and one byte stride address the 12 rows (row r = a_{3⌊r/3⌋} + (r mod 3)·stride).
        nint rowBytes = aRow * sizeof(float);
        float* a0 = a, a3 = a + 3 * aRow, a6 = a + 6 * aRow, a9 = a + 9 * aRow;
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
            x = TL.Broadcast(*a6); c60 = TL.MultiplyAdd(x, b0, c60); c61 = TL.MultiplyAdd(x, b1, c61);
            x = TL.Broadcast(*(float*)((byte*)a6 + rowBytes)); c70 = TL.MultiplyAdd(x, b0, c70); c71 = TL.MultiplyAdd(x, b1, c71);
            x = TL.Broadcast(*(float*)((byte*)a6 + 2 * rowBytes)); c80 = TL.MultiplyAdd(x, b0, c80); c81 = TL.MultiplyAdd(x, b1, c81);
            x = TL.Broadcast(*a9); c90 = TL.MultiplyAdd(x, b0, c90); c91 = TL.MultiplyAdd(x, b1, c91);
            x = TL.Broadcast(*(float*)((byte*)a9 + rowBytes)); c100 = TL.MultiplyAdd(x, b0, c100); c101 = TL.MultiplyAdd(x, b1, c101);
            x = TL.Broadcast(*(float*)((byte*)a9 + 2 * rowBytes)); c110 = TL.MultiplyAdd(x, b0, c110); c111 = TL.MultiplyAdd(x, b1, c111);
            a0 += aK; a3 += aK; a6 += aK; a9 += aK; b += ldb;
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(*a0); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(*(float*)((byte*)a0 + rowBytes)); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(*a3); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(*(float*)((byte*)a3 + rowBytes)); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            x = TL.Broadcast(*a6); c60 = TL.MultiplyAdd(x, b0, c60); c61 = TL.MultiplyAdd(x, b1, c61);
            x = TL.Broadcast(*(float*)((byte*)a6 + rowBytes)); c70 = TL.MultiplyAdd(x, b0, c70); c71 = TL.MultiplyAdd(x, b1, c71);
            x = TL.Broadcast(*(float*)((byte*)a6 + 2 * rowBytes)); c80 = TL.MultiplyAdd(x, b0, c80); c81 = TL.MultiplyAdd(x, b1, c81);
            x = TL.Broadcast(*a9); c90 = TL.MultiplyAdd(x, b0, c90); c91 = TL.MultiplyAdd(x, b1, c91);
            x = TL.Broadcast(*(float*)((byte*)a9 + rowBytes)); c100 = TL.MultiplyAdd(x, b0, c100); c101 = TL.MultiplyAdd(x, b1, c101);
            x = TL.Broadcast(*(float*)((byte*)a9 + 2 * rowBytes)); c110 = TL.MultiplyAdd(x, b0, c110); c111 = TL.MultiplyAdd(x, b1, c111);
            a0 += aK; a3 += aK; a6 += aK; a9 += aK; b += ldb;
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(*a0); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(*(float*)((byte*)a0 + rowBytes)); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(*a3); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(*(float*)((byte*)a3 + rowBytes)); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            x = TL.Broadcast(*a6); c60 = TL.MultiplyAdd(x, b0, c60); c61 = TL.MultiplyAdd(x, b1, c61);
            x = TL.Broadcast(*(float*)((byte*)a6 + rowBytes)); c70 = TL.MultiplyAdd(x, b0, c70); c71 = TL.MultiplyAdd(x, b1, c71);
            x = TL.Broadcast(*(float*)((byte*)a6 + 2 * rowBytes)); c80 = TL.MultiplyAdd(x, b0, c80); c81 = TL.MultiplyAdd(x, b1, c81);
            x = TL.Broadcast(*a9); c90 = TL.MultiplyAdd(x, b0, c90); c91 = TL.MultiplyAdd(x, b1, c91);
            x = TL.Broadcast(*(float*)((byte*)a9 + rowBytes)); c100 = TL.MultiplyAdd(x, b0, c100); c101 = TL.MultiplyAdd(x, b1, c101);
            x = TL.Broadcast(*(float*)((byte*)a9 + 2 * rowBytes)); c110 = TL.MultiplyAdd(x, b0, c110); c111 = TL.MultiplyAdd(x, b1, c111);
            a0 += aK; a3 += aK; a6 += aK; a9 += aK; b += ldb;
            b0 = TL.Load(b); b1 = TL.Load(b + w);
            x = TL.Broadcast(*a0); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(*(float*)((byte*)a0 + rowBytes)); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(*a3); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31);
            x = TL.Broadcast(*(float*)((byte*)a3 + rowBytes)); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41);
            x = TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51);
            x = TL.Broadcast(*a6); c60 = TL.MultiplyAdd(x, b0, c60); c61 = TL.MultiplyAdd(x, b1, c61);
            x = TL.Broadcast(*(float*)((byte*)a6 + rowBytes)); c70 = TL.MultiplyAdd(x, b0, c70); c71 = TL.MultiplyAdd(x, b1, c71);
            x = TL.Broadcast(*(float*)((byte*)a6 + 2 * rowBytes)); c80 = TL.MultiplyAdd(x, b0, c80); c81 = TL.MultiplyAdd(x, b1, c81);
            x = TL.Broadcast(*a9); c90 = TL.MultiplyAdd(x, b0, c90); c91 = TL.MultiplyAdd(x, b1, c91);
            x = TL.Broadcast(*(float*)((byte*)a9 + rowBytes)); c100 = TL.MultiplyAdd(x, b0, c100); c101 = TL.MultiplyAdd(x, b1, c101);
            x = TL.Broadcast(*(float*)((byte*)a9 + 2 * rowBytes)); c110 = TL.MultiplyAdd(x, b0, c110); c111 = TL.MultiplyAdd(x, b1, c111);
            a0 += aK; a3 += aK; a6 += aK; a9 += aK; b += ldb;
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
            x = TL.Broadcast(*(float*)((byte*)a6 + 2 * rowBytes)); c80 = TL.MultiplyAdd(x, b0, c80); c81 = TL.MultiplyAdd(x, b1, c81);
            x = TL.Broadcast(*a9); c90 = TL.MultiplyAdd(x, b0, c90); c91 = TL.MultiplyAdd(x, b1, c91);
            x = TL.Broadcast(*(float*)((byte*)a9 + rowBytes)); c100 = TL.MultiplyAdd(x, b0, c100); c101 = TL.MultiplyAdd(x, b1, c101);
            x = TL.Broadcast(*(float*)((byte*)a9 + 2 * rowBytes)); c110 = TL.MultiplyAdd(x, b0, c110); c111 = TL.MultiplyAdd(x, b1, c111);
            a0 += aK; a3 += aK; a6 += aK; a9 += aK; b += ldb;
        }

        TL.Store(c, c00); TL.Store(c + w, c01);
        TL.Store(c + ldc, c10); TL.Store(c + ldc + w, c11);
        TL.Store(c + 2 * ldc, c20); TL.Store(c + 2 * ldc + w, c21);
        TL.Store(c + 3 * ldc, c30); TL.Store(c + 3 * ldc + w, c31);
        TL.Store(c + 4 * ldc, c40); TL.Store(c + 4 * ldc + w, c41);
        TL.Store(c + 5 * ldc, c50); TL.Store(c + 5 * ldc + w, c51);
        TL.Store(c + 6 * ldc, c60); TL.Store(c + 6 * ldc + w, c61);
        TL.Store(c + 7 * ldc, c70); TL.Store(c + 7 * ldc + w, c71);
        TL.Store(c + 8 * ldc, c80); TL.Store(c + 8 * ldc + w, c81);
        TL.Store(c + 9 * ldc, c90); TL.Store(c + 9 * ldc + w, c91);
        TL.Store(c + 10 * ldc, c100); TL.Store(c + 10 * ldc + w, c101);
        TL.Store(c + 11 * ldc, c110); TL.Store(c + 11 * ldc + w, c111);
    }

    /// <summary>
    /// A 12-row tile whose rows are adjacent in A′ for each p: A′[r, p] = a[p·aStep + r] (a packed panel, or the
    /// transposed view of a row-major matrix); same per-element FMA chain as <see cref="Tile"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Adjacent(float* a, nint aStep, float* b, nint bStep, int k, float* c, nint ldc, TileStart start, float* bias)
    {
        var w = TL.Count;
        TV c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71, c80, c81, c90, c91, c100, c101, c110, c111;
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
            c80 = TL.Load(c + 8 * ldc); c81 = TL.Load(c + 8 * ldc + w);
            c90 = TL.Load(c + 9 * ldc); c91 = TL.Load(c + 9 * ldc + w);
            c100 = TL.Load(c + 10 * ldc); c101 = TL.Load(c + 10 * ldc + w);
            c110 = TL.Load(c + 11 * ldc); c111 = TL.Load(c + 11 * ldc + w);
        }
        else
        {
            var first = start == TileStart.Bias ? TL.Load(bias) : TL.Zero;
            var second = start == TileStart.Bias ? TL.Load(bias + w) : TL.Zero;
            c00 = c10 = c20 = c30 = c40 = c50 = c60 = c70 = c80 = c90 = c100 = c110 = first;
            c01 = c11 = c21 = c31 = c41 = c51 = c61 = c71 = c81 = c91 = c101 = c111 = second;
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
            x = TL.Broadcast(a[8]); c80 = TL.MultiplyAdd(x, b0, c80); c81 = TL.MultiplyAdd(x, b1, c81);
            x = TL.Broadcast(a[9]); c90 = TL.MultiplyAdd(x, b0, c90); c91 = TL.MultiplyAdd(x, b1, c91);
            x = TL.Broadcast(a[10]); c100 = TL.MultiplyAdd(x, b0, c100); c101 = TL.MultiplyAdd(x, b1, c101);
            x = TL.Broadcast(a[11]); c110 = TL.MultiplyAdd(x, b0, c110); c111 = TL.MultiplyAdd(x, b1, c111);
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
            x = TL.Broadcast(a[8]); c80 = TL.MultiplyAdd(x, b0, c80); c81 = TL.MultiplyAdd(x, b1, c81);
            x = TL.Broadcast(a[9]); c90 = TL.MultiplyAdd(x, b0, c90); c91 = TL.MultiplyAdd(x, b1, c91);
            x = TL.Broadcast(a[10]); c100 = TL.MultiplyAdd(x, b0, c100); c101 = TL.MultiplyAdd(x, b1, c101);
            x = TL.Broadcast(a[11]); c110 = TL.MultiplyAdd(x, b0, c110); c111 = TL.MultiplyAdd(x, b1, c111);
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
            x = TL.Broadcast(a[8]); c80 = TL.MultiplyAdd(x, b0, c80); c81 = TL.MultiplyAdd(x, b1, c81);
            x = TL.Broadcast(a[9]); c90 = TL.MultiplyAdd(x, b0, c90); c91 = TL.MultiplyAdd(x, b1, c91);
            x = TL.Broadcast(a[10]); c100 = TL.MultiplyAdd(x, b0, c100); c101 = TL.MultiplyAdd(x, b1, c101);
            x = TL.Broadcast(a[11]); c110 = TL.MultiplyAdd(x, b0, c110); c111 = TL.MultiplyAdd(x, b1, c111);
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
            x = TL.Broadcast(a[8]); c80 = TL.MultiplyAdd(x, b0, c80); c81 = TL.MultiplyAdd(x, b1, c81);
            x = TL.Broadcast(a[9]); c90 = TL.MultiplyAdd(x, b0, c90); c91 = TL.MultiplyAdd(x, b1, c91);
            x = TL.Broadcast(a[10]); c100 = TL.MultiplyAdd(x, b0, c100); c101 = TL.MultiplyAdd(x, b1, c101);
            x = TL.Broadcast(a[11]); c110 = TL.MultiplyAdd(x, b0, c110); c111 = TL.MultiplyAdd(x, b1, c111);
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
            x = TL.Broadcast(a[8]); c80 = TL.MultiplyAdd(x, b0, c80); c81 = TL.MultiplyAdd(x, b1, c81);
            x = TL.Broadcast(a[9]); c90 = TL.MultiplyAdd(x, b0, c90); c91 = TL.MultiplyAdd(x, b1, c91);
            x = TL.Broadcast(a[10]); c100 = TL.MultiplyAdd(x, b0, c100); c101 = TL.MultiplyAdd(x, b1, c101);
            x = TL.Broadcast(a[11]); c110 = TL.MultiplyAdd(x, b0, c110); c111 = TL.MultiplyAdd(x, b1, c111);
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
        TL.Store(c + 8 * ldc, c80); TL.Store(c + 8 * ldc + w, c81);
        TL.Store(c + 9 * ldc, c90); TL.Store(c + 9 * ldc + w, c91);
        TL.Store(c + 10 * ldc, c100); TL.Store(c + 10 * ldc + w, c101);
        TL.Store(c + 11 * ldc, c110); TL.Store(c + 11 * ldc + w, c111);
    }

    /// <summary>
    /// A 12-row tile one vector wide, for narrow outputs (N of at most one vector); same addressing and per-element
    /// FMA chain as <see cref="Tile"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Narrow(float* a, nint aRow, nint aK, float* b, nint ldb, int k, float* c, nint ldc, TileStart start, float* bias)
    {
        TV c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11;
        if (start == TileStart.Accumulate)
        {
            c0 = TL.Load(c);
            c1 = TL.Load(c + ldc);
            c2 = TL.Load(c + 2 * ldc);
            c3 = TL.Load(c + 3 * ldc);
            c4 = TL.Load(c + 4 * ldc);
            c5 = TL.Load(c + 5 * ldc);
            c6 = TL.Load(c + 6 * ldc);
            c7 = TL.Load(c + 7 * ldc);
            c8 = TL.Load(c + 8 * ldc);
            c9 = TL.Load(c + 9 * ldc);
            c10 = TL.Load(c + 10 * ldc);
            c11 = TL.Load(c + 11 * ldc);
        }
        else
        {
            c0 = c1 = c2 = c3 = c4 = c5 = c6 = c7 = c8 = c9 = c10 = c11 = start == TileStart.Bias ? TL.Load(bias) : TL.Zero;
        }
        nint rowBytes = aRow * sizeof(float);
        float* a0 = a, a3 = a + 3 * aRow, a6 = a + 6 * aRow, a9 = a + 9 * aRow;
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
            c8 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a6 + 2 * rowBytes)), b0, c8);
            c9 = TL.MultiplyAdd(TL.Broadcast(*a9), b0, c9);
            c10 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a9 + rowBytes)), b0, c10);
            c11 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a9 + 2 * rowBytes)), b0, c11);
            a0 += aK; a3 += aK; a6 += aK; a9 += aK; b += ldb;
            b0 = TL.Load(b);
            c0 = TL.MultiplyAdd(TL.Broadcast(*a0), b0, c0);
            c1 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + rowBytes)), b0, c1);
            c2 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)), b0, c2);
            c3 = TL.MultiplyAdd(TL.Broadcast(*a3), b0, c3);
            c4 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + rowBytes)), b0, c4);
            c5 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)), b0, c5);
            c6 = TL.MultiplyAdd(TL.Broadcast(*a6), b0, c6);
            c7 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a6 + rowBytes)), b0, c7);
            c8 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a6 + 2 * rowBytes)), b0, c8);
            c9 = TL.MultiplyAdd(TL.Broadcast(*a9), b0, c9);
            c10 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a9 + rowBytes)), b0, c10);
            c11 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a9 + 2 * rowBytes)), b0, c11);
            a0 += aK; a3 += aK; a6 += aK; a9 += aK; b += ldb;
            b0 = TL.Load(b);
            c0 = TL.MultiplyAdd(TL.Broadcast(*a0), b0, c0);
            c1 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + rowBytes)), b0, c1);
            c2 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)), b0, c2);
            c3 = TL.MultiplyAdd(TL.Broadcast(*a3), b0, c3);
            c4 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + rowBytes)), b0, c4);
            c5 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)), b0, c5);
            c6 = TL.MultiplyAdd(TL.Broadcast(*a6), b0, c6);
            c7 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a6 + rowBytes)), b0, c7);
            c8 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a6 + 2 * rowBytes)), b0, c8);
            c9 = TL.MultiplyAdd(TL.Broadcast(*a9), b0, c9);
            c10 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a9 + rowBytes)), b0, c10);
            c11 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a9 + 2 * rowBytes)), b0, c11);
            a0 += aK; a3 += aK; a6 += aK; a9 += aK; b += ldb;
            b0 = TL.Load(b);
            c0 = TL.MultiplyAdd(TL.Broadcast(*a0), b0, c0);
            c1 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + rowBytes)), b0, c1);
            c2 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a0 + 2 * rowBytes)), b0, c2);
            c3 = TL.MultiplyAdd(TL.Broadcast(*a3), b0, c3);
            c4 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + rowBytes)), b0, c4);
            c5 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a3 + 2 * rowBytes)), b0, c5);
            c6 = TL.MultiplyAdd(TL.Broadcast(*a6), b0, c6);
            c7 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a6 + rowBytes)), b0, c7);
            c8 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a6 + 2 * rowBytes)), b0, c8);
            c9 = TL.MultiplyAdd(TL.Broadcast(*a9), b0, c9);
            c10 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a9 + rowBytes)), b0, c10);
            c11 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a9 + 2 * rowBytes)), b0, c11);
            a0 += aK; a3 += aK; a6 += aK; a9 += aK; b += ldb;
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
            c8 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a6 + 2 * rowBytes)), b0, c8);
            c9 = TL.MultiplyAdd(TL.Broadcast(*a9), b0, c9);
            c10 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a9 + rowBytes)), b0, c10);
            c11 = TL.MultiplyAdd(TL.Broadcast(*(float*)((byte*)a9 + 2 * rowBytes)), b0, c11);
            a0 += aK; a3 += aK; a6 += aK; a9 += aK; b += ldb;
        }
        TL.Store(c, c0);
        TL.Store(c + ldc, c1);
        TL.Store(c + 2 * ldc, c2);
        TL.Store(c + 3 * ldc, c3);
        TL.Store(c + 4 * ldc, c4);
        TL.Store(c + 5 * ldc, c5);
        TL.Store(c + 6 * ldc, c6);
        TL.Store(c + 7 * ldc, c7);
        TL.Store(c + 8 * ldc, c8);
        TL.Store(c + 9 * ldc, c9);
        TL.Store(c + 10 * ldc, c10);
        TL.Store(c + 11 * ldc, c11);
    }
}
