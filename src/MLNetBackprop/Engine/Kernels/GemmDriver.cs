using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// Walks one rectangle of C in tiles: blocks of the shared dimension, chunks of packed column panels of B′ (the tile
/// width each), full-height row tiles (<see cref="IFmaLanes{TV}.TileRows"/> rows) each sweeping a chunk's panels, and
/// the rows below the last full tile as one tile of their own height on the same panels (<see cref="GemmTileFewRows{TV, TL, TR}"/>);
/// a rectangle with no full tile goes row by row (B′ in place, or packed when its columns are strided). Edge tiles
/// compute into a stack tile and copy the valid part out, so no kernel ever reads or writes past a buffer. Every path keeps the per-element FMA chain of
/// <see cref="GemmTile{TV, TL}"/>, so results are identical.
/// </summary>
internal static unsafe class GemmDriver<TV, TL> where TV : struct where TL : struct, IFmaLanes<TV>
{
    private const int PackAMinColumns = 512;

    // Floats of B′ in one chunk of column panels (512 KB, at most 512 columns), packed right before its row tiles
    // sweep it: every row tile of a block sweeps the chunk's panels, so the chunk stays in L2 while the tiles stream
    // past. A block of B′ packed wider than L2 (whole rows) is swept from L3 instead, which costs more than the
    // longer streams gain.
    private const int ChunkFloats = 128 * 1024;
    private const int MaxChunkColumns = 512;

    // Rows of B′ a chunk's packing copies as one group: each panel receives the group's rows as consecutive lines, and
    // while a panel's piece of the group is copied, the same piece of the next group's rows is requested. A piece at
    // most a chunk wide (1 KB of an 8 KB row in a wide forward) is too short for the hardware prefetcher to get ahead,
    // and spreading the requests over the copy keeps a few rows in flight without a burst. Wider pieces (a shared
    // block's whole rows) it streams on its own.
    private const int PackGroupRows = 4;

    // Length of the rows of b from which their transposing packing requests the next eight rows ahead: shorter rows
    // (an output layer's ten classes) are in L1 already.
    private const int TransposeRequestFloats = 64;

    // The 12-row tiles of the 128-bit path on an ARM64 CPU, whose rows-adjacent form multiplies by lane.
    private static bool MultipliesByLane => TL.TileRows == GemmTileByLane.Rows && AdvSimd.Arm64.IsSupported;

    /// <summary>Computes C rows [rowStart, rowEnd) × columns [colStart, colEnd); colStart is a multiple of the tile width.</summary>
    /// <remarks>
    /// Full row tiles: the shared dimension is cut into blocks (<see cref="GemmJob.SharedBlockDepth"/>); for each block,
    /// each chunk of column panels of B′ is packed (contiguous, zero-padded) once per block of row tiles of packed A′,
    /// and every row tile of the block sweeps the chunk's panels while the chunk sits in L2. Between
    /// blocks the partial sums go through C, which a float store keeps exactly, so each element is still one FMA chain
    /// over p in order.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmOperands op, int rowStart, int rowEnd, int colStart, int colEnd)
    {
        if (rowStart >= rowEnd || colStart >= colEnd)
            return;
        var rows = TL.TileRows;
        var blockWidth = GemmTile<TV, TL>.Columns;
        var tiles = (rowEnd - rowStart) / rows;
        var fullRowsEnd = rowStart + tiles * rows;
        var kc = GemmJob.SharedBlockDepth(op.K);
        // A′ is packed (rows adjacent per p, contiguous over p) only when many column panels share the packed copy:
        // the copy costs about what 32 output columns cost, and wide products gain from the contiguous stream
        // (their long rows have 4 KB-multiple strides that would otherwise map to the same cache sets).
        // On ARM64 A′ is packed for every product wider than one vector, so its tiles multiply by lane (see
        // GemmTileByLane): broadcasting A′ from strided rows would cost a vector instruction per multiply-add pair.
        var packA = tiles > 0 && (colEnd - colStart >= PackAMinColumns || (MultipliesByLane && colEnd - colStart > TL.Count));
        // Many rows (a wide layer's weight gradient has 2048) are packed and streamed a block at a time, so A′ shares
        // L2 with the chunk of B′ instead of pushing it out; each block of A′ is packed once per shared block (gathering
        // its rows is the costlier packing, from strided columns in a weight gradient), and the chunks of B′ are
        // packed again for each block.
        var blockTiles = packA ? Math.Min(tiles, GemmJob.PackedBlockTiles(kc, rows)) : tiles;
        var aFloats = packA ? (blockTiles * kc * rows + 15) / 16 * 16 : 0;
        var chunkColumns = Math.Min(ChunkColumns(kc), (colEnd - colStart + blockWidth - 1) / blockWidth * blockWidth);
        var panelFloats = tiles > 0 ? kc * chunkColumns : 0;
        // Rows left below the last full tile ride along as one tile on the packed panels of B′, rather than
        // each streaming the whole of B′ again (6-row tiles leave 2 of a 200-row batch).
        var restRows = tiles > 0 ? rowEnd - fullRowsEnd : 0;
        var restFloats = restRows > 0 ? (kc * rows + 15) / 16 * 16 : 0;
        var rowPanelFloats = tiles == 0 && op.PackB ? op.K * blockWidth : 0;
        var aPack = KernelScratch.Get(Math.Max(aFloats + panelFloats + restFloats, rowPanelFloats));
        var panel = aPack + aFloats;
        var restPack = panel + panelFloats;
        var tile = stackalloc float[rows * blockWidth];
        var paddedBias = stackalloc float[blockWidth];

        for (var pc = 0; tiles > 0 && (pc < op.K || pc == 0); pc += kc)
        {
            var kb = Math.Min(kc, op.K - pc);
            var start = pc == 0 ? op.Start : TileStart.Accumulate;
            var last = pc + kb >= op.K;
            if (restRows > 0)
                PackRest(op, fullRowsEnd, restRows, pc, kb, restPack);
            for (var blockRow = rowStart; blockRow < fullRowsEnd; blockRow += blockTiles * rows)
            {
                var blockEnd = Math.Min(fullRowsEnd, blockRow + blockTiles * rows);
                if (packA)
                    PackA(op, blockRow, (blockEnd - blockRow) / rows, pc, kb, kc, aPack);
                for (var jc = colStart; jc < colEnd; jc += chunkColumns)
                {
                    var chunkEnd = Math.Min(colEnd, jc + chunkColumns);
                    PackPanels(op, pc, kb, jc, chunkEnd - jc, panel);
                    SweepPanels(op, packA ? aPack : null, blockRow, blockEnd, panel, pc, kb, kc, jc, chunkEnd, start, last, tile, paddedBias);
                    if (restRows > 0 && blockEnd == fullRowsEnd)
                        RestTiles(op, restPack, panel, kb, jc, chunkEnd, fullRowsEnd, restRows, start, last, tile, paddedBias);
                }
            }
        }
        for (var i = rowStart + tiles * rows + restRows; i < rowEnd; i++)
            OneRow(op, i, colStart, colEnd, aPack); // no full tile: rows one at a time on B′ in place
    }

    /// <summary>
    /// Packs part <paramref name="part"/> of <paramref name="parts"/> of one shared-dimension block [pc, pc + kb) of a
    /// product whose packed block all parts then share (<see cref="SharedPackJob"/>): a slice of A′'s full row tiles
    /// (layout as <see cref="PackA"/> over all of them, the rest rows with the last part), and a slice of the rows p of
    /// B′, whose columns are contiguous, for all N columns as consecutive panels (each part streams whole rows).
    /// </summary>
    public static void PackSharedBlock(in GemmOperands op, int pc, int kb, int kc, int part, int parts, float* aPack, float* restPack, float* panels)
    {
        var rows = TL.TileRows;
        var tiles = op.M / rows;
        var (t0, t1) = (tiles * part / parts, tiles * (part + 1) / parts);
        PackA(op, t0 * rows, t1 - t0, pc, kb, kc, aPack + (nint)t0 * kc * rows);
        if (part == parts - 1 && op.M > tiles * rows)
            PackRest(op, tiles * rows, op.M - tiles * rows, pc, kb, restPack);
        PackPanels(op, pc, kb, kb * part / parts, kb * (part + 1) / parts, 0, op.N, panels);
    }

    /// <summary>
    /// Computes every row × columns [colStart, colEnd) of C for one shared-dimension block packed by
    /// <see cref="PackSharedBlock"/>; colStart is a multiple of the tile width. Same tiles, same chains as <see cref="Run"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ComputeSharedBlock(in GemmOperands op, int pc, int kb, int kc, float* aPack, float* restPack, float* panels,
        int colStart, int colEnd)
    {
        var rows = TL.TileRows;
        var blockWidth = GemmTile<TV, TL>.Columns;
        var fullRowsEnd = op.M / rows * rows;
        var restRows = op.M - fullRowsEnd;
        var start = pc == 0 ? op.Start : TileStart.Accumulate;
        var last = pc + kb >= op.K;
        var tile = stackalloc float[rows * blockWidth];
        var paddedBias = stackalloc float[blockWidth];
        // Chunks of B′ sized as in Run, so each stays in L2 while every row tile sweeps it.
        var chunkColumns = ChunkColumns(kc);
        for (var jc = colStart; jc < colEnd; jc += chunkColumns)
        {
            var chunkEnd = Math.Min(colEnd, jc + chunkColumns);
            var chunk = panels + (nint)jc * kb;
            SweepPanels(op, aPack, 0, fullRowsEnd, chunk, pc, kb, kc, jc, chunkEnd, start, last, tile, paddedBias);
            if (restRows > 0)
                RestTiles(op, restPack, chunk, kb, jc, chunkEnd, fullRowsEnd, restRows, start, last, tile, paddedBias);
        }
    }

    // The full row tiles [blockRow, blockEnd) against the packed panels of columns [jc, chunkEnd) (`panel` holds column
    // jc's), from A′ packed for this block of rows (`aBlock`, tile t of the block at t·kc·rows), or from A in place when
    // `aBlock` is null. Each row tile sweeps every panel while it sits in L1, the panels coming from L2: C is then
    // walked along its rows, a few contiguous streams the prefetcher follows, rather than down its columns with a
    // row stride that is often a multiple of 4 KB.
    private static void SweepPanels(in GemmOperands op, float* aBlock, int blockRow, int blockEnd, float* panel, int pc, int kb, int kc,
        int jc, int chunkEnd, TileStart start, bool last, float* tile, float* paddedBias)
    {
        var rows = TL.TileRows;
        var blockWidth = GemmTile<TV, TL>.Columns;
        for (var i = blockRow; i < blockEnd; i += rows)
        {
            var a = op.A + i * op.ARowStride + pc * op.AKStride;
            nint aRow = op.ARowStride, aK = op.AKStride;
            if (aBlock is not null)
            {
                a = aBlock + (nint)(i - blockRow) * kc;
                aRow = 1;
                aK = rows;
            }
            for (var j = jc; j < chunkEnd; j += blockWidth)
            {
                var width = Math.Min(blockWidth, chunkEnd - j);
                var bias = start == TileStart.Bias ? BlockOfBias(op, j, width, paddedBias) : null;
                TileAt(op, a, aRow, aK, panel + (nint)(j - jc) * kb, kb, i, j, rows, width, start, last, bias, tile);
            }
        }
    }

    // Columns of B′ per chunk at depth kc, a whole number of tiles (512 up to 256 deep, 256 at 512).
    private static int ChunkColumns(int kc)
    {
        var blockWidth = GemmTile<TV, TL>.Columns;
        return Math.Max(blockWidth, Math.Min(MaxChunkColumns, ChunkFloats / kc) / blockWidth * blockWidth);
    }

    // The rows below the last full tile, as one tile across the chunk's packed panels. Full-width panels take a tile of
    // exactly the rest rows, straight into C (up to 7 rows, which fits the registers of the levels whose full tiles are
    // taller; one or two rows two panels at a time, for enough independent chains); a narrow last panel, and rest rows
    // beyond 7, take a full-height tile whose missing rows are zeros.
    private static void RestTiles(in GemmOperands op, float* restPack, float* panel, int kb, int jc, int chunkEnd,
        int firstRow, int restRows, TileStart start, bool last, float* tile, float* paddedBias)
    {
        var blockWidth = GemmTile<TV, TL>.Columns;
        var exactRows = restRows <= RowCounts.MaxRows;
        for (var j = jc; j < chunkEnd; j += blockWidth)
        {
            var width = Math.Min(blockWidth, chunkEnd - j);
            var bias = start == TileStart.Bias ? BlockOfBias(op, j, width, paddedBias) : null;
            var b = panel + (j - jc) * kb;
            if (!exactRows || width < blockWidth)
            {
                TileAt(op, restPack, 1, TL.TileRows, b, kb, firstRow, j, restRows, width, start, last, bias, tile);
                continue;
            }
            var c = op.C + firstRow * op.Ldc + j;
            if (restRows <= RowCounts.MaxPairedRows && j + 2 * blockWidth <= chunkEnd)
            {
                // Two full panels side by side: the bias of both is op.Bias from j on.
                RowCounts.AdjacentPair<TV, TL>(restRows, restPack, TL.TileRows, b, b + kb * blockWidth, blockWidth, kb, c, op.Ldc, start, bias);
                width = 2 * blockWidth;
            }
            else
            {
                RowCounts.Adjacent<TV, TL>(restRows, restPack, TL.TileRows, b, blockWidth, kb, c, op.Ldc, start, bias);
            }
            if (last && op.Activated != null)
                ActivateRows(op, firstRow, j, restRows, width);
            j += width - blockWidth;
        }
    }

    // C rows [i, i + validRows) × columns [j, j + width) from one full tile on a packed panel b of B′. A tile that would
    // reach past C (fewer valid rows or columns than the tile has) computes into the stack tile, from C's values when
    // accumulating, and copies its valid part out; then the block is activated after the last shared block.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TileAt(in GemmOperands op, float* a, nint aRow, nint aK, float* b, int kb, int i, int j, int validRows, int width,
        TileStart start, bool last, float* bias, float* tile)
    {
        var blockWidth = GemmTile<TV, TL>.Columns;
        var c = op.C + i * op.Ldc + j;
        var edge = width < blockWidth || validRows < TL.TileRows;
        if (edge)
        {
            if (start == TileStart.Accumulate)
                CopyRows(c, op.Ldc, tile, blockWidth, validRows, width);
            Tile(a, aRow, aK, b, blockWidth, kb, tile, blockWidth, start, bias, width);
            CopyRows(tile, blockWidth, c, op.Ldc, validRows, width);
        }
        else
        {
            Tile(a, aRow, aK, b, blockWidth, kb, c, op.Ldc, start, bias, width);
        }
        if (last && op.Activated != null)
            ActivateRows(op, i, j, validRows, width);
    }

    // restPack[p·R + r] = A′[firstRow + r, pc + p] for r < restRows and 0 for the tile's other rows (R tile rows).
    private static void PackRest(in GemmOperands op, int firstRow, int restRows, int pc, int kb, float* restPack)
    {
        var rows = TL.TileRows;
        new Span<float>(restPack, kb * rows).Clear();
        for (var r = 0; r < restRows; r++)
        {
            var source = op.A + (firstRow + r) * op.ARowStride + pc * op.AKStride;
            for (var p = 0; p < kb; p++)
                restPack[p * rows + r] = source[p * op.AKStride];
        }
    }

    // One full-height tile at this width's tile rows: one vector wide for narrow outputs, the adjacent-rows form
    // for packed (or transposed) A′, else the strided form.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(float* a, nint aRow, nint aK, float* b, nint ldb, int k, float* c, nint ldc, TileStart start, float* bias, int width)
    {
        if (TL.TileRows == GemmTileTwelveRows<TV, TL>.Rows)
        {
            if (width <= TL.Count)
                GemmTileTwelveRows<TV, TL>.Narrow(a, aRow, aK, b, ldb, k, c, ldc, start, bias);
            else if (aRow == 1 && MultipliesByLane)
                GemmTileByLane.Adjacent(a, aK, b, ldb, k, c, ldc, start, bias);
            else if (aRow == 1)
                GemmTileTwelveRows<TV, TL>.Adjacent(a, aK, b, ldb, k, c, ldc, start, bias);
            else
                GemmTileTwelveRows<TV, TL>.Tile(a, aRow, aK, b, ldb, k, c, ldc, start, bias);
        }
        else if (TL.TileRows == GemmTileSixRows<TV, TL>.Rows)
        {
            if (width <= TL.Count)
                GemmTileSixRows<TV, TL>.Narrow(a, aRow, aK, b, ldb, k, c, ldc, start, bias);
            else if (aRow == 1)
                GemmTileSixRows<TV, TL>.Adjacent(a, aK, b, ldb, k, c, ldc, start, bias);
            else
                GemmTileSixRows<TV, TL>.Tile(a, aRow, aK, b, ldb, k, c, ldc, start, bias);
        }
        else if (width <= TL.Count)
            GemmTile<TV, TL>.Rows8Narrow(a, aRow, aK, b, ldb, k, c, ldc, start, bias);
        else if (aRow == 1)
            GemmTile<TV, TL>.Rows8Adjacent(a, aK, b, ldb, k, c, ldc, start, bias);
        else
            GemmTile<TV, TL>.Rows8(a, aRow, aK, b, ldb, k, c, ldc, start, bias);
    }

    // aPack[t·kc·R + p·R + r] = A′[rowStart + R·t + r, pc + p] for p < kb (R tile rows): each row tile's block with
    // its rows adjacent.
    private static void PackA(in GemmOperands op, int rowStart, int tiles, int pc, int kb, int kc, float* aPack)
    {
        var rows = TL.TileRows;
        for (var t = 0; t < tiles; t++)
        {
            var source = op.A + (rowStart + t * rows) * op.ARowStride + pc * op.AKStride;
            var destination = aPack + (nint)t * kc * rows;
            if (op.ARowStride == 1)
            {
                // A tile's column is adjacent floats: 4-float vectors, then single floats (never past the column).
                for (var p = 0; p < kb; p++)
                {
                    var s = source + p * op.AKStride;
                    var d = destination + p * rows;
                    var r = 0;
                    for (; r + 4 <= rows; r += 4)
                        Vector128.Store(Vector128.Load(s + r), d + r);
                    for (; r < rows; r++)
                        d[r] = s[r];
                }
                continue;
            }
            // Contiguous rows of A (a forward's X), up to eight at a time through registers; the scalar loop for the rest.
            for (var group = 0; group < rows; group += TransposePack.MaxRows)
            {
                var groupRows = Math.Min(TransposePack.MaxRows, rows - group);
                var done = op.AKStride == 1
                    ? TransposePack.Rows(source + group * op.ARowStride, op.ARowStride, groupRows, kb, destination + group, rows)
                    : 0;
                for (var r = group; r < group + groupRows; r++)
                {
                    var s = source + r * op.ARowStride;
                    var d = destination + r;
                    for (var p = done; p < kb; p++)
                        d[p * rows] = s[p * op.AKStride];
                }
            }
        }
    }

    // One tile row of floats (two vectors): a call to a general copy costs more than the copy itself.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyBlock(float* source, float* destination)
    {
        var w = TL.Count;
        TL.Store(destination, TL.Load(source));
        TL.Store(destination + w, TL.Load(source + w));
    }

    // Packs B′[pc .. pc+kb, j .. j+width] as consecutive panels of the tile width, each kb rows of blockWidth floats
    // (panel q holds columns j + q·blockWidth ..), the last one zero-padded. Contiguous rows of B′ are copied
    // PackGroupRows rows at a time, panel by panel (pieces up to a chunk wide with the next group's requested ahead);
    // strided ones eight columns at a time.
    private static void PackPanels(in GemmOperands op, int pc, int kb, int j, int width, float* panels)
        => PackPanels(op, pc, kb, 0, kb, j, width, panels);

    // Rows [pFrom, pTo) of the block only (a shared block packed by several threads), which must be all of them when
    // B′'s columns are strided.
    private static void PackPanels(in GemmOperands op, int pc, int kb, int pFrom, int pTo, int j, int width, float* panels)
    {
        var blockWidth = GemmTile<TV, TL>.Columns;
        var full = width / blockWidth;
        var rest = width - full * blockWidth;
        if (rest > 0)
            new Span<float>(panels + (full * kb + pFrom) * blockWidth, (pTo - pFrom) * blockWidth).Clear();
        var origin = op.B + pc * op.BKStride + j * op.BColumnStride;
        if (op.BColumnStride == 1)
        {
            var prefetch = width <= MaxChunkColumns;
            for (var group = pFrom; group < pTo; group += PackGroupRows)
            {
                var groupRows = Math.Min(PackGroupRows, pTo - group);
                var ahead = prefetch ? Math.Clamp(pTo - group - PackGroupRows, 0, PackGroupRows) : 0;
                var source = origin + group * op.BKStride;
                for (var q = 0; q < full; q++)
                {
                    var piece = source + q * blockWidth;
                    for (var r = 0; r < ahead; r++)
                        CachePrefetch.Floats(piece + (PackGroupRows + r) * op.BKStride, blockWidth);
                    var destination = panels + ((nint)q * kb + group) * blockWidth;
                    for (var r = 0; r < groupRows; r++)
                        CopyBlock(piece + r * op.BKStride, destination + r * blockWidth);
                }
                for (var r = 0; rest > 0 && r < groupRows; r++)
                {
                    new ReadOnlySpan<float>(source + r * op.BKStride + full * blockWidth, rest)
                        .CopyTo(new Span<float>(panels + ((nint)full * kb + group + r) * blockWidth, rest));
                }
            }
            return;
        }
        // Strided columns (B′ = bᵀ): eight columns at a time, so each packed row receives eight adjacent floats.
        var jj = 0;
        if (blockWidth % 8 == 0)
        {
            for (; jj + 8 <= width; jj += 8)
            {
                var s0 = origin + jj * op.BColumnStride;
                var s1 = s0 + op.BColumnStride; var s2 = s1 + op.BColumnStride; var s3 = s2 + op.BColumnStride;
                var s4 = s3 + op.BColumnStride; var s5 = s4 + op.BColumnStride; var s6 = s5 + op.BColumnStride;
                var s7 = s6 + op.BColumnStride;
                var destination = panels + jj / blockWidth * kb * blockWidth + jj % blockWidth;
                // Contiguous rows of b (B′'s columns) on a vector path: eight by eight through registers, the next
                // eight requested as these are copied when they are longer than a few lines.
                var next = jj + 16 <= width && kb >= TransposeRequestFloats ? s0 + 8 * op.BColumnStride : null;
                nint start = op.BKStride == 1 && TL.Count >= 8
                    ? TransposePack.Rows(s0, op.BColumnStride, 8, kb, destination, blockWidth, next)
                    : 0;
                for (nint p = start, q = start * op.BKStride; p < kb; p++, q += op.BKStride)
                {
                    var d = destination + p * blockWidth;
                    d[0] = s0[q]; d[1] = s1[q]; d[2] = s2[q]; d[3] = s3[q];
                    d[4] = s4[q]; d[5] = s5[q]; d[6] = s6[q]; d[7] = s7[q];
                }
            }
        }
        for (; jj < width; jj++)
        {
            var source = origin + jj * op.BColumnStride;
            var destination = panels + jj / blockWidth * kb * blockWidth + jj % blockWidth;
            for (var p = 0; p < kb; p++)
                destination[p * blockWidth] = source[p * op.BKStride];
        }
    }

    private static float* BlockOfBias(in GemmOperands op, int j, int width, float* padded)
    {
        if (op.Bias == null || width == GemmTile<TV, TL>.Columns)
            return op.Bias == null ? null : op.Bias + j;
        for (var jj = 0; jj < GemmTile<TV, TL>.Columns; jj++)
            padded[jj] = jj < width ? op.Bias[j + jj] : 0f;
        return padded;
    }

    // panel[p, jj] = B′[p, j + jj], zero beyond width; the loop order follows whichever stride is contiguous.
    private static void Pack(in GemmOperands op, int j, int width, float* panel)
    {
        var blockWidth = GemmTile<TV, TL>.Columns;
        if (width < blockWidth)
            new Span<float>(panel, op.K * blockWidth).Clear();
        if (op.BColumnStride == 1)
        {
            for (var p = 0; p < op.K; p++)
                new ReadOnlySpan<float>(op.B + p * op.BKStride + j, width).CopyTo(new Span<float>(panel + p * blockWidth, width));
            return;
        }
        for (var jj = 0; jj < width; jj++)
        {
            var source = op.B + (j + jj) * op.BColumnStride;
            var destination = panel + jj;
            for (var p = 0; p < op.K; p++)
                destination[p * blockWidth] = source[p * op.BKStride];
        }
    }

    // A left-over row: wide in-place tiles while they fit, two-vector tiles, then a scalar tail for narrow ends.
    private static void OneRow(in GemmOperands op, int i, int colStart, int colEnd, float* panel)
    {
        var blockWidth = GemmTile<TV, TL>.Columns;
        var a = op.A + i * op.ARowStride;
        var c = op.C + i * op.Ldc;
        var start = op.Start;
        var j = colStart;
        if (!op.PackB)
        {
            for (; j + 4 * blockWidth <= colEnd; j += 4 * blockWidth)
                GemmTile<TV, TL>.Row1Wide(a, op.AKStride, op.B + j, op.BKStride, op.K, c + j, start, op.Bias + j);
            for (; j + blockWidth <= colEnd; j += blockWidth)
                GemmTile<TV, TL>.Row1(a, op.AKStride, op.B + j, op.BKStride, op.K, c + j, start, op.Bias + j);
        }
        else
        {
            for (; j + blockWidth <= colEnd; j += blockWidth)
            {
                Pack(op, j, blockWidth, panel);
                GemmTile<TV, TL>.Row1(a, op.AKStride, panel, blockWidth, op.K, c + j, start, op.Bias + j);
            }
        }
        if (j < colEnd)
            ScalarRow(op, a, c, j, colEnd);
        if (op.Activated != null)
            ActivateRows(op, i, colStart, 1, colEnd - colStart);
    }

    // Narrow column ends of single rows: plain fused multiply-adds, element chains in the same order as the tiles.
    private static void ScalarRow(in GemmOperands op, float* a, float* c, int colStart, int colEnd)
    {
        for (var j = colStart; j < colEnd; j++)
        {
            var sum = op.Accumulate ? c[j] : op.Bias != null ? op.Bias[j] : 0f;
            var b = op.B + j * op.BColumnStride;
            for (var p = 0; p < op.K; p++)
                sum = MathF.FusedMultiplyAdd(a[p * op.AKStride], b[p * op.BKStride], sum);
            c[j] = sum;
        }
    }

    private static void CopyRows(float* source, nint sourceStride, float* destination, nint destinationStride, int rows, int width)
    {
        for (var r = 0; r < rows; r++)
            new ReadOnlySpan<float>(source + r * sourceStride, width).CopyTo(new Span<float>(destination + r * destinationStride, width));
    }

    private static void ActivateRows(in GemmOperands op, int i, int j, int rows, int width)
    {
        for (var r = i; r < i + rows; r++)
        {
            var offset = r * op.Ldc + j;
            Activations.Forward(op.Activation, new ReadOnlySpan<float>(op.C + offset, width), new Span<float>(op.Activated + offset, width));
        }
    }
}
