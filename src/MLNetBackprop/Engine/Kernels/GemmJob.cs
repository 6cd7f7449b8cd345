using System.Runtime.Intrinsics;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// One product split across threads by whole tiles: by column blocks or by row tiles, whichever balances better, each
/// thread packing what it needs; wide products whose packed blocks the threads share go to <see cref="SharedPackJob"/>.
/// Each output element belongs to exactly one part, so the split never changes the result.
/// </summary>
internal sealed class GemmJob : IKernelJob
{
    // Below about a million multiply-adds (a few microseconds on one core) a fork costs more than it saves.
    private const long ParallelThreshold = 1L << 20;

    // Narrow outputs (one vector of columns) run at about a third of the wide tiles' speed, so their products pay
    // for a fork from an eighth of the size (an output layer of ten classes and its weight gradient).
    private const long NarrowParallelThreshold = 1L << 17;
    private const int NarrowColumns = 16;

    // Floats of B′ (512 KB) below which a row split's duplicated packing is cheap.
    private const long SmallB = 128 * 1024;

    // Shared-dimension block: a row tile of A′ (16 KB at 8 rows) stays in L1 while the panels of B′ stream past it,
    // and each block passes the partial sums through C once, so deeper blocks touch C fewer times.
    private const int MaxKc = 512;

    // Floats of packed A′ streamed a block of row tiles at a time (512 KB: 42 tiles of 6 rows × 512 fill 504 KB), so
    // A′ shares L2 with a chunk of B′ instead of pushing it out.
    private const int PackedBlockFloats = 128 * 1024;

    [ThreadStatic] private static GemmJob? _perThread;

    private GemmOperands _operands;
    private SimdLevel _level;
    private bool _splitColumns;

    /// <summary>Runs the product on the calling thread's level, in parallel when it is large enough.</summary>
    public static void Run(in GemmOperands operands)
    {
        if (operands.M == 0 || operands.N == 0)
            return;
        var level = SimdSelection.Current;
        var work = (long)operands.M * operands.N * Math.Max(operands.K, 1);
        var threshold = operands.N <= NarrowColumns ? NarrowParallelThreshold : ParallelThreshold;
        var parts = work >= threshold ? KernelThreads.ThreadCount : 1;
        if (SharedPackJob.Applies(operands, level, parts))
        {
            SharedPackJob.Run(operands, level, parts);
            return;
        }
        var job = _perThread ??= new GemmJob();
        job._operands = operands;
        job._level = level;
        job._splitColumns = PreferColumnSplit(operands, BlockWidth(job._level), TileRowsOf(job._level), parts);
        KernelThreads.Run(job, parts);
        job._operands = default; // drop the raw pointers once the buffers are unpinned
    }

    /// <summary>Columns per tile at <paramref name="level"/>.</summary>
    public static int BlockWidth(SimdLevel level) => level switch
    {
        SimdLevel.Vector512 => 2 * Vector512<float>.Count,
        SimdLevel.Vector256 => 2 * Vector256<float>.Count,
        SimdLevel.Vector128 => 2 * Vector128<float>.Count,
        _ => 2,
    };

    /// <summary>
    /// Depth of the shared-dimension blocks a product of shared dimension <paramref name="k"/> is cut into: as even as
    /// possible, at most 512. Between blocks the partial sums pass through C exactly, so the depth never changes a result.
    /// </summary>
    public static int SharedBlockDepth(int k)
    {
        var blocks = Math.Max(1, (k + MaxKc - 1) / MaxKc);
        return Math.Max(1, (k + blocks - 1) / blocks);
    }

    /// <summary>
    /// Full row tiles of <paramref name="rows"/> rows in one block of packed A′ at shared-dimension depth
    /// <paramref name="kc"/> (at least one): a product with more row tiles packs A′ a block at a time.
    /// </summary>
    public static int PackedBlockTiles(int kc, int rows) => Math.Max(1, PackedBlockFloats / (kc * rows));

    /// <summary>Rows per full tile at <paramref name="level"/>.</summary>
    public static int TileRowsOf(SimdLevel level) => level switch
    {
        SimdLevel.Vector512 => FmaLanes512.TileRows,
        SimdLevel.Vector256 => FmaLanes256.TileRows,
        SimdLevel.Vector128 => FmaLanes128.TileRows,
        _ => FmaLanesScalar.TileRows,
    };

    /// <inheritdoc/>
    public void Execute(int part, int parts)
    {
        int rowStart = 0, rowEnd = _operands.M, colStart = 0, colEnd = _operands.N;
        if (_splitColumns)
        {
            (colStart, colEnd) = TileRows.Part(_operands.N, part, parts, BlockWidth(_level));
        }
        else
        {
            (rowStart, rowEnd) = TileRows.Part(_operands.M, part, parts, TileRowsOf(_level));
        }
        RunRectangle(_level, _operands, rowStart, rowEnd, colStart, colEnd);
    }

    /// <summary>Computes C rows [rowStart, rowEnd) × columns [colStart, colEnd) on the calling thread at <paramref name="level"/>.</summary>
    public static void RunRectangle(SimdLevel level, in GemmOperands operands, int rowStart, int rowEnd, int colStart, int colEnd)
    {
        switch (level)
        {
            case SimdLevel.Vector512:
                GemmDriver<Vector512<float>, FmaLanes512>.Run(operands, rowStart, rowEnd, colStart, colEnd);
                break;
            case SimdLevel.Vector256:
                GemmDriver<Vector256<float>, FmaLanes256>.Run(operands, rowStart, rowEnd, colStart, colEnd);
                break;
            case SimdLevel.Vector128:
                GemmDriver<Vector128<float>, FmaLanes128>.Run(operands, rowStart, rowEnd, colStart, colEnd);
                break;
            default:
                GemmDriver<float, FmaLanesScalar>.Run(operands, rowStart, rowEnd, colStart, colEnd);
                break;
        }
    }

    // The split whose largest part has fewer tiles; packed B favours columns, where each thread packs only its own.
    private static bool PreferColumnSplit(in GemmOperands operands, int blockWidth, int tileRows, int parts)
    {
        if (parts <= 1)
            return true;
        long tiles = (operands.M + tileRows - 1) / tileRows;
        // When all of B′ fits in L2 twice over and there are many row tiles, splitting by rows wins even though
        // each thread packs B′ itself: each reads only its half of A (a first layer's X·W and Xᵀ·dZ of a few
        // hundred inputs are the typical case).
        if ((long)operands.K * operands.N <= SmallB && tiles >= 8 * parts)
            return false;
        long blocks = (operands.N + blockWidth - 1) / blockWidth;
        var byColumns = (blocks + parts - 1) / parts * tiles;
        var byRows = (tiles + parts - 1) / parts * blocks;
        if (operands.PackB && blocks >= parts)
            return byColumns <= byRows * 5 / 4;
        return byColumns <= byRows;
    }
}
