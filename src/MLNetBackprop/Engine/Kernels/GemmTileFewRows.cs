using System.Runtime.CompilerServices;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// Tiles of exactly <typeparamref name="TR"/> rows (1 to 7) × two vectors of columns, for the rows below a product's
/// last full tile: they compute straight into C, where a full-height tile would multiply zero rows and go through a
/// stack tile. A′ has its rows adjacent for each p (the packed rest rows), as in <see cref="GemmTileSixRows{TV, TL}.Adjacent"/>.
/// </summary>
/// <remarks>
/// The JIT specialises the kernel per row-count struct: every test on the row count folds to a constant, and only that
/// many rows of accumulators remain (14 at 7 rows, which only the 32-register levels use). Every element is the same
/// FMA chain over p as in <see cref="GemmTile{TV, TL}"/>, so the results are the same bits.
/// </remarks>
internal static unsafe class GemmTileFewRows<TV, TL, TR> where TV : struct where TL : struct, IFmaLanes<TV> where TR : struct, IRowCount
{
    /// <summary>Computes TR rows into c (row stride ldc); A′[r, p] = a[p·aStep + r]; bias is read only when start is Bias.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Adjacent(float* a, nint aStep, float* b, nint bStep, int k, float* c, nint ldc, TileStart start, float* bias)
    {
        var w = TL.Count;
        var rows = TR.Value;
        var first = start == TileStart.Bias ? TL.Load(bias) : TL.Zero;
        var second = start == TileStart.Bias ? TL.Load(bias + w) : TL.Zero;
        TV c00 = first, c01 = second, c10 = first, c11 = second, c20 = first, c21 = second, c30 = first, c31 = second, c40 = first, c41 = second, c50 = first, c51 = second, c60 = first, c61 = second;
        if (start == TileStart.Accumulate)
        {
            (c00, c01) = (TL.Load(c), TL.Load(c + w));
            if (rows > 1) (c10, c11) = (TL.Load(c + 1 * ldc), TL.Load(c + 1 * ldc + w));
            if (rows > 2) (c20, c21) = (TL.Load(c + 2 * ldc), TL.Load(c + 2 * ldc + w));
            if (rows > 3) (c30, c31) = (TL.Load(c + 3 * ldc), TL.Load(c + 3 * ldc + w));
            if (rows > 4) (c40, c41) = (TL.Load(c + 4 * ldc), TL.Load(c + 4 * ldc + w));
            if (rows > 5) (c50, c51) = (TL.Load(c + 5 * ldc), TL.Load(c + 5 * ldc + w));
            if (rows > 6) (c60, c61) = (TL.Load(c + 6 * ldc), TL.Load(c + 6 * ldc + w));
        }

        for (var p = k; p > 0; p--)
        {
            var b0 = TL.Load(b);
            var b1 = TL.Load(b + w);
            var x = TL.Broadcast(a[0]); c00 = TL.MultiplyAdd(x, b0, c00); c01 = TL.MultiplyAdd(x, b1, c01);
            if (rows > 1) { x = TL.Broadcast(a[1]); c10 = TL.MultiplyAdd(x, b0, c10); c11 = TL.MultiplyAdd(x, b1, c11); }
            if (rows > 2) { x = TL.Broadcast(a[2]); c20 = TL.MultiplyAdd(x, b0, c20); c21 = TL.MultiplyAdd(x, b1, c21); }
            if (rows > 3) { x = TL.Broadcast(a[3]); c30 = TL.MultiplyAdd(x, b0, c30); c31 = TL.MultiplyAdd(x, b1, c31); }
            if (rows > 4) { x = TL.Broadcast(a[4]); c40 = TL.MultiplyAdd(x, b0, c40); c41 = TL.MultiplyAdd(x, b1, c41); }
            if (rows > 5) { x = TL.Broadcast(a[5]); c50 = TL.MultiplyAdd(x, b0, c50); c51 = TL.MultiplyAdd(x, b1, c51); }
            if (rows > 6) { x = TL.Broadcast(a[6]); c60 = TL.MultiplyAdd(x, b0, c60); c61 = TL.MultiplyAdd(x, b1, c61); }
            a += aStep;
            b += bStep;
        }

        TL.Store(c, c00);
        TL.Store(c + w, c01);
        if (rows > 1) { TL.Store(c + 1 * ldc, c10); TL.Store(c + 1 * ldc + w, c11); }
        if (rows > 2) { TL.Store(c + 2 * ldc, c20); TL.Store(c + 2 * ldc + w, c21); }
        if (rows > 3) { TL.Store(c + 3 * ldc, c30); TL.Store(c + 3 * ldc + w, c31); }
        if (rows > 4) { TL.Store(c + 4 * ldc, c40); TL.Store(c + 4 * ldc + w, c41); }
        if (rows > 5) { TL.Store(c + 5 * ldc, c50); TL.Store(c + 5 * ldc + w, c51); }
        if (rows > 6) { TL.Store(c + 6 * ldc, c60); TL.Store(c + 6 * ldc + w, c61); }
    }

    /// <summary>
    /// <see cref="Adjacent"/> on two panels at once, for TR up to <see cref="RowCounts.MaxPairedRows"/>: columns [0, 2w) of c from
    /// panel b and [2w, 4w) from panel <paramref name="b2"/>, both of step bStep; bias covers all 4w columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AdjacentPair(float* a, nint aStep, float* b, float* b2, nint bStep, int k, float* c, nint ldc, TileStart start, float* bias)
    {
        var w = TL.Count;
        var rows = TR.Value;
        TV c00, c01, c02, c03, c10, c11, c12, c13;
        if (start == TileStart.Accumulate)
        {
            (c00, c01, c02, c03) = (TL.Load(c), TL.Load(c + w), TL.Load(c + 2 * w), TL.Load(c + 3 * w));
            (c10, c11, c12, c13) = rows > 1
                ? (TL.Load(c + ldc), TL.Load(c + ldc + w), TL.Load(c + ldc + 2 * w), TL.Load(c + ldc + 3 * w))
                : (c00, c01, c02, c03);
        }
        else
        {
            var bias0 = start == TileStart.Bias ? TL.Load(bias) : TL.Zero;
            var bias1 = start == TileStart.Bias ? TL.Load(bias + w) : TL.Zero;
            var bias2 = start == TileStart.Bias ? TL.Load(bias + 2 * w) : TL.Zero;
            var bias3 = start == TileStart.Bias ? TL.Load(bias + 3 * w) : TL.Zero;
            (c00, c01, c02, c03) = (bias0, bias1, bias2, bias3);
            (c10, c11, c12, c13) = (bias0, bias1, bias2, bias3);
        }

        for (var p = k; p > 0; p--)
        {
            var (b0, b1, b2v, b3) = (TL.Load(b), TL.Load(b + w), TL.Load(b2), TL.Load(b2 + w));
            var x = TL.Broadcast(a[0]);
            (c00, c01, c02, c03) = (TL.MultiplyAdd(x, b0, c00), TL.MultiplyAdd(x, b1, c01), TL.MultiplyAdd(x, b2v, c02), TL.MultiplyAdd(x, b3, c03));
            if (rows > 1)
            {
                x = TL.Broadcast(a[1]);
                (c10, c11, c12, c13) = (TL.MultiplyAdd(x, b0, c10), TL.MultiplyAdd(x, b1, c11), TL.MultiplyAdd(x, b2v, c12), TL.MultiplyAdd(x, b3, c13));
            }
            a += aStep;
            b += bStep;
            b2 += bStep;
        }

        TL.Store(c, c00);
        TL.Store(c + w, c01);
        TL.Store(c + 2 * w, c02);
        TL.Store(c + 3 * w, c03);
        if (rows > 1)
        {
            TL.Store(c + ldc, c10);
            TL.Store(c + ldc + w, c11);
            TL.Store(c + ldc + 2 * w, c12);
            TL.Store(c + ldc + 3 * w, c13);
        }
    }
}
