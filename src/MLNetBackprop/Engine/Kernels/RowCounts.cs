namespace MLNetBackprop.Engine.Kernels;

/// <summary>The row counts <see cref="GemmTileFewRows{TV, TL, TR}"/> is specialised for, and the dispatch to them.</summary>
internal static unsafe class RowCounts
{
    /// <summary>Most rows of a few-rows tile: 14 accumulators, which the 32-register levels hold.</summary>
    public const int MaxRows = 7;

    /// <summary>
    /// Most rows whose tiles take two panels at once (<see cref="GemmTileFewRows{TV, TL, TR}.AdjacentPair"/>): one or two
    /// rows on one panel have only two or four accumulator chains, too few to cover the multiply-add latency on two pipes.
    /// </summary>
    public const int MaxPairedRows = 2;

    /// <summary>One row.</summary>
    internal struct One : IRowCount { public static int Value => 1; }
    /// <summary>Two rows.</summary>
    internal struct Two : IRowCount { public static int Value => 2; }
    /// <summary>Three rows.</summary>
    internal struct Three : IRowCount { public static int Value => 3; }
    /// <summary>Four rows.</summary>
    internal struct Four : IRowCount { public static int Value => 4; }
    /// <summary>Five rows.</summary>
    internal struct Five : IRowCount { public static int Value => 5; }
    /// <summary>Six rows.</summary>
    internal struct Six : IRowCount { public static int Value => 6; }
    /// <summary>Seven rows.</summary>
    internal struct Seven : IRowCount { public static int Value => 7; }

    /// <summary>
    /// <see cref="GemmTileFewRows{TV, TL, TR}.Adjacent"/> for <paramref name="rows"/> rows (1 to <see cref="MaxRows"/>).
    /// </summary>
    public static void Adjacent<TV, TL>(int rows, float* a, nint aStep, float* b, nint bStep, int k, float* c, nint ldc, TileStart start, float* bias)
        where TV : struct where TL : struct, IFmaLanes<TV>
    {
        switch (rows)
        {
            case 1: GemmTileFewRows<TV, TL, One>.Adjacent(a, aStep, b, bStep, k, c, ldc, start, bias); break;
            case 2: GemmTileFewRows<TV, TL, Two>.Adjacent(a, aStep, b, bStep, k, c, ldc, start, bias); break;
            case 3: GemmTileFewRows<TV, TL, Three>.Adjacent(a, aStep, b, bStep, k, c, ldc, start, bias); break;
            case 4: GemmTileFewRows<TV, TL, Four>.Adjacent(a, aStep, b, bStep, k, c, ldc, start, bias); break;
            case 5: GemmTileFewRows<TV, TL, Five>.Adjacent(a, aStep, b, bStep, k, c, ldc, start, bias); break;
            case 6: GemmTileFewRows<TV, TL, Six>.Adjacent(a, aStep, b, bStep, k, c, ldc, start, bias); break;
            case 7: GemmTileFewRows<TV, TL, Seven>.Adjacent(a, aStep, b, bStep, k, c, ldc, start, bias); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows), rows, "A few-rows tile has 1 to 7 rows.");
        }
    }

    /// <summary>
    /// <see cref="GemmTileFewRows{TV, TL, TR}.AdjacentPair"/> for <paramref name="rows"/> rows (1 to <see cref="MaxPairedRows"/>).
    /// </summary>
    public static void AdjacentPair<TV, TL>(int rows, float* a, nint aStep, float* b, float* b2, nint bStep, int k, float* c, nint ldc,
        TileStart start, float* bias)
        where TV : struct where TL : struct, IFmaLanes<TV>
    {
        switch (rows)
        {
            case 1: GemmTileFewRows<TV, TL, One>.AdjacentPair(a, aStep, b, b2, bStep, k, c, ldc, start, bias); break;
            case 2: GemmTileFewRows<TV, TL, Two>.AdjacentPair(a, aStep, b, b2, bStep, k, c, ldc, start, bias); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows), rows, "A two-panel few-rows tile has 1 or 2 rows.");
        }
    }
}
