using System.Runtime.CompilerServices;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// Walks one rectangle of C in tiles: column blocks of the tile width, 8-row tiles inside each block, then the
/// rows left over. B′ is read in place when its rows are contiguous, otherwise packed one column block at a time.
/// Edge tiles compute into a stack tile and copy the valid part out, so no kernel ever reads or writes past a
/// buffer. Every path keeps the per-element FMA chain of <see cref="GemmTile{TV, TL}"/>, so results are identical.
/// </summary>
internal static unsafe class GemmDriver<TV, TL> where TV : struct where TL : struct, IFmaLanes<TV>
{
    /// <summary>Computes C rows [rowStart, rowEnd) × columns [colStart, colEnd); colStart is a multiple of the tile width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmOperands op, int rowStart, int rowEnd, int colStart, int colEnd)
    {
        if (rowStart >= rowEnd || colStart >= colEnd)
            return;
        var blockWidth = GemmTile<TV, TL>.Columns;
        var fullRowsEnd = rowStart + (rowEnd - rowStart) / GemmTile<TV, TL>.Rows * GemmTile<TV, TL>.Rows;
        var panel = op.PackB || colEnd - colStart < blockWidth || (colEnd - colStart) % blockWidth != 0
            ? KernelScratch.Get(op.K * blockWidth) : null;
        var tile = stackalloc float[GemmTile<TV, TL>.Rows * blockWidth];
        var paddedBias = stackalloc float[blockWidth];

        var packedFrom = colStart;
        if (!op.PackB && fullRowsEnd > rowStart)
        {
            // B′ read in place: row tiles outer, so the tile's slice of A stays in L1 across the column blocks.
            packedFrom = colStart + (colEnd - colStart) / blockWidth * blockWidth;
            for (var i = rowStart; i < fullRowsEnd; i += GemmTile<TV, TL>.Rows)
                for (var j = colStart; j < packedFrom; j += blockWidth)
                    EightRows(op, i, j, blockWidth, op.B + j, op.BKStride, op.Bias == null ? null : op.Bias + j, tile);
        }
        if (fullRowsEnd > rowStart)
        {
            // Packed blocks (and the narrow last block): column blocks outer, so each panel is packed once.
            for (var j = packedFrom; j < colEnd; j += blockWidth)
            {
                var width = Math.Min(blockWidth, colEnd - j);
                var b = BlockOfB(op, j, width, panel, out var ldb);
                var bias = BlockOfBias(op, j, width, paddedBias);
                for (var i = rowStart; i < fullRowsEnd; i += GemmTile<TV, TL>.Rows)
                    EightRows(op, i, j, width, b, ldb, bias, tile);
            }
        }
        for (var i = fullRowsEnd; i < rowEnd; i++)
            OneRow(op, i, colStart, colEnd, panel);
    }

    // Full-width blocks read B′ in place unless packing was asked for; the rest are packed with zero padding.
    private static float* BlockOfB(in GemmOperands op, int j, int width, float* panel, out nint ldb)
    {
        if (width == GemmTile<TV, TL>.Columns && !op.PackB)
        {
            ldb = op.BKStride;
            return op.B + j;
        }
        Pack(op, j, width, panel);
        ldb = GemmTile<TV, TL>.Columns;
        return panel;
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

    private static void EightRows(in GemmOperands op, int i, int j, int width, float* b, nint ldb, float* bias, float* tile)
    {
        const int rows = GemmTile<TV, TL>.Rows;
        var blockWidth = GemmTile<TV, TL>.Columns;
        var a = op.A + i * op.ARowStride;
        var c = op.C + i * op.Ldc + j;
        if (width == blockWidth)
        {
            GemmTile<TV, TL>.Rows8(a, op.ARowStride, op.AKStride, b, ldb, op.K, c, op.Ldc, op.Start, bias);
        }
        else
        {
            if (op.Accumulate)
                CopyRows(c, op.Ldc, tile, blockWidth, rows, width);
            GemmTile<TV, TL>.Rows8(a, op.ARowStride, op.AKStride, b, ldb, op.K, tile, blockWidth, op.Start, bias);
            CopyRows(tile, blockWidth, c, op.Ldc, rows, width);
        }
        if (op.Activated != null)
            ActivateRows(op, i, j, rows, width);
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
