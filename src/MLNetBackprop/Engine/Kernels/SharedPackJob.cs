using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// A wide product on several threads with one packed copy of each shared-dimension block that all threads use, as
/// OpenBLAS does: per block, one job in which each part packs a slice of A′ and whole rows of B′ (each thread of a
/// column split packs half rows), then one in which each part computes its own column panels for every row against the
/// whole packed block; A′ is packed once, not once per thread, and B′ once, not once per thread and block of A′. Only
/// for products whose A′ takes several packed blocks (a wide layer's weight gradient): with one block, each thread
/// packing its own chunks of B′ right before its tiles sweep them is faster than sweeping a shared block that has left
/// L2. Only for B′ with contiguous rows (A·B, Aᵀ·B): for A·Bᵀ, whose packing transposes rows of b, it measured no
/// faster. No part ever waits for another part of the same job (<see cref="KernelThreads"/> may run them all on the
/// caller, one after another): the barrier between packing and computing is the end of a job. Each tile's chain over
/// the shared dimension is the one <see cref="GemmDriver{TV, TL}"/> computes, so the result is the same bit for bit
/// whichever thread computes or packs what.
/// </summary>
internal sealed unsafe class SharedPackJob : IKernelJob
{
    // Columns from which the packed block is shared: narrower products (workload W's) keep the per-thread split.
    private const int MinColumns = 1024;

    // Floats of the shared packed block (16 MB) above which the product keeps the per-thread split.
    private const long MaxPackedFloats = 4L << 20;

    [ThreadStatic] private static SharedPackJob? _perThread;

    private float[] _buffer = [];
    private GemmOperands _operands;
    private SimdLevel _level;
    private bool _packing;
    private int _pc, _kb, _kc;
    private float* _aPack, _restPack, _panels;

    /// <summary>
    /// Whether this path runs on this CPU at all. Not on ARM64, which keeps the per-thread split: there the path is
    /// unverified (the kernel probe under emulation stopped with an access violation in it, for a product with a rest
    /// row and a narrow last panel, which the per-thread split computes correctly), and the split is what the probe checks.
    /// </summary>
    public static bool Supported => !AdvSimd.Arm64.IsSupported;

    /// <summary>Whether <paramref name="operands"/> on <paramref name="parts"/> threads at <paramref name="level"/> take this path.</summary>
    public static bool Applies(in GemmOperands operands, SimdLevel level, int parts)
    {
        var rows = GemmJob.TileRowsOf(level);
        var tiles = operands.M / rows;
        return Supported && parts > 1 && operands.PackB && operands.BColumnStride == 1 && operands.N >= MinColumns && tiles >= parts
               && tiles > GemmJob.PackedBlockTiles(GemmJob.SharedBlockDepth(operands.K), rows)
               && PackedFloats(operands, rows, GemmJob.BlockWidth(level)) <= MaxPackedFloats;
    }

    /// <summary>Runs the product in <paramref name="parts"/> parts per step at <paramref name="level"/>.</summary>
    public static void Run(in GemmOperands operands, SimdLevel level, int parts)
    {
        var job = _perThread ??= new SharedPackJob();
        var (rows, blockWidth) = (GemmJob.TileRowsOf(level), GemmJob.BlockWidth(level));
        var floats = PackedFloats(operands, rows, blockWidth);
        if (job._buffer.Length < floats + 16)
            job._buffer = GC.AllocateUninitializedArray<float>((int)floats + 16, pinned: true);
        job._kc = GemmJob.SharedBlockDepth(operands.K);
        // 64-byte aligned pieces: A′'s full tiles, the rest tile, then B′'s panels.
        job._aPack = (float*)(((nint)Unsafe.AsPointer(ref job._buffer[0]) + 63) & ~(nint)63);
        job._restPack = job._aPack + Aligned((long)operands.M / rows * rows * job._kc);
        job._panels = job._restPack + Aligned((long)rows * job._kc);
        job._operands = operands;
        job._level = level;
        try
        {
            for (var pc = 0; pc < operands.K || pc == 0; pc += job._kc)
            {
                (job._pc, job._kb) = (pc, Math.Min(job._kc, operands.K - pc));
                job._packing = true;
                KernelThreads.Run(job, parts);
                job._packing = false;
                KernelThreads.Run(job, parts);
            }
        }
        finally
        {
            job._operands = default; // drop the raw pointers once the buffers are unpinned
        }
    }

    // A′'s full tiles and rest tile and all of B′'s panels for one shared-dimension block, each 64-byte aligned.
    private static long PackedFloats(in GemmOperands operands, int rows, int blockWidth)
    {
        long kc = GemmJob.SharedBlockDepth(operands.K);
        var panels = (long)(operands.N + blockWidth - 1) / blockWidth * blockWidth * kc;
        return Aligned((long)operands.M / rows * rows * kc) + Aligned(rows * kc) + panels;
    }

    private static long Aligned(long floats) => (floats + 15) / 16 * 16;

    /// <inheritdoc/>
    public void Execute(int part, int parts)
    {
        switch (_level)
        {
            case SimdLevel.Vector512:
                Step<Vector512<float>, FmaLanes512>(part, parts);
                break;
            case SimdLevel.Vector256:
                Step<Vector256<float>, FmaLanes256>(part, parts);
                break;
            case SimdLevel.Vector128:
                Step<Vector128<float>, FmaLanes128>(part, parts);
                break;
            default:
                Step<float, FmaLanesScalar>(part, parts);
                break;
        }
    }

    private void Step<TV, TL>(int part, int parts) where TV : struct where TL : struct, IFmaLanes<TV>
    {
        if (_packing)
        {
            GemmDriver<TV, TL>.PackSharedBlock(_operands, _pc, _kb, _kc, part, parts, _aPack, _restPack, _panels);
            return;
        }
        // Each part computes every row against its share of the column panels: the products here have many row tiles
        // (a weight gradient's 2048 rows) and at least 1024 columns, and the column split measured at least as fast as a
        // row split.
        var (colStart, colEnd) = TileRows.Part(_operands.N, part, parts, GemmTile<TV, TL>.Columns);
        GemmDriver<TV, TL>.ComputeSharedBlock(_operands, _pc, _kb, _kc, _aPack, _restPack, _panels, colStart, colEnd);
    }
}
