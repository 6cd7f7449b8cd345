using System.Numerics.Tensors;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// The first layer of a wide input, Z = (bias + X[:, :h]·W[:h, :]) + X[:, h:]·W[h:, :], and optionally f(Z): two
/// fixed halves of the input features, each an FMA chain, then one add. The halves are a property of the layer's
/// shape (<see cref="SplitPoint"/>), never of the thread count, so training and prediction round alike on any
/// machine setting. What the split buys: with two threads each core computes one half, and the weight gradient's
/// row split and the optimizer's range split cut along (nearly) the same line, so each core keeps its half of W, ∂W
/// and the optimizer's moments in its own cache instead of pulling the lines the other core's optimizer step just
/// wrote (docs/benchmarks.md has the measurement). With 2c threads each half is further cut into c row chunks; an odd thread out idles in this layer.
/// </summary>
internal sealed unsafe class SplitInputProduct : IKernelJob
{
    /// <summary>Inputs from which the first layer is split: below it the layer is small and one chain is cheaper.</summary>
    public const int MinInputs = 256;

    // Below about a million multiply-adds the halves run on the calling thread, one after the other.
    private const long ParallelThreshold = 1L << 20;

    [ThreadStatic] private static SplitInputProduct? _perThread;

    private float[] _partial = [];
    private float* _x, _w, _bias, _z, _activated, _second;
    private ActivationKind _activation;
    private int _rows, _k, _n, _split, _chunks, _phase;
    private SimdLevel _level;

    /// <summary>
    /// Where the features of a layer with <paramref name="inputs"/> inputs are cut (a multiple of 8, the weight
    /// gradient's tile height), or 0 when the layer is not split.
    /// </summary>
    public static int SplitPoint(int inputs) => inputs < MinInputs ? 0 : (inputs + 7) / 8 / 2 * 8;

    // Row chunks per half when `threads` threads share the halves (0: not in parallel).
    private static int ChunksPerHalf(int threads) => threads < 2 ? 0 : threads / 2;

    /// <summary>
    /// z[rows × n] = x[rows × k]·w[k × n] + bias, in two halves of k cut at <see cref="SplitPoint"/>(k); when
    /// <paramref name="activated"/> is not empty it also receives f(z).
    /// </summary>
    public static void Run(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> z,
        int rows, int k, int n, ActivationKind activation = ActivationKind.Identity, Span<float> activated = default)
    {
        var split = SplitPoint(k);
        if (split == 0)
            throw new ArgumentException($"A layer of {k} inputs is not split.", nameof(k));
        if (x.Length < (long)rows * k || w.Length < (long)k * n || bias.Length < n || z.Length < (long)rows * n
            || (!activated.IsEmpty && activated.Length < (long)rows * n))
            throw new ArgumentException($"Buffers too small for a {rows}×{k}×{n} layer.");
        if (rows == 0 || n == 0)
            return;
        var job = _perThread ??= new SplitInputProduct();
        if (job._partial.Length < rows * n)
            job._partial = GC.AllocateUninitializedArray<float>(rows * n, pinned: true);
        var parallel = (long)rows * k * n >= ParallelThreshold && rows >= 16;
        var chunks = parallel ? ChunksPerHalf(KernelThreads.ThreadCount) : 0;
        fixed (float* px = x, pw = w, pb = bias, pz = z, pa = activated, pp = job._partial)
        {
            job._x = px;
            job._w = pw;
            job._bias = pb;
            job._z = pz;
            job._activated = activated.IsEmpty ? null : pa;
            job._second = pp;
            (job._rows, job._k, job._n, job._split, job._activation) = (rows, k, n, split, activation);
            job._level = SimdSelection.Current;
            job._chunks = Math.Max(chunks, 1);
            try
            {
                job._phase = 0;
                KernelThreads.Run(job, chunks == 0 ? 1 : 2 * chunks);
                job._phase = 1;
                KernelThreads.Run(job, chunks == 0 ? 1 : 2 * chunks);
            }
            finally
            {
                job._x = job._w = job._bias = job._z = job._activated = job._second = null;
            }
        }
    }

    /// <inheritdoc/>
    public void Execute(int part, int parts)
    {
        if (_phase == 0)
        {
            if (parts == 1)
            {
                Half(0, 0, _rows);
                Half(1, 0, _rows);
                return;
            }
            // Part p: half p / chunks, row chunk p % chunks; with two threads part t (thread t) is half t.
            var (start, end) = TileRows.Part(_rows, part % _chunks, _chunks);
            Half(part / _chunks, start, end);
            return;
        }
        var (first, last) = TileRows.Part(_rows, part, parts);
        var count = (last - first) * _n;
        if (count == 0)
            return;
        var z = new Span<float>(_z + first * _n, count);
        TensorPrimitives.Add(z, new ReadOnlySpan<float>(_second + first * _n, count), z);
        if (_activated != null)
            Activations.Forward(_activation, z, new Span<float>(_activated + first * _n, count));
    }

    // One half's product for rows [start, end): the first starts from the bias into z, the second from zero into the partial.
    private void Half(int half, int start, int end)
    {
        if (start >= end)
            return;
        var from = half == 0 ? 0 : _split;
        var operands = new GemmOperands
        {
            A = _x + from, ARowStride = _k, AKStride = 1,
            B = _w + from * _n, BKStride = _n, BColumnStride = 1,
            C = half == 0 ? _z : _second, Ldc = _n,
            M = _rows, N = _n, K = half == 0 ? _split : _k - _split,
            Bias = half == 0 ? _bias : null,
        };
        operands.PackB = MatrixMultiply.ShouldPack(operands);
        GemmJob.RunRectangle(_level, operands, start, end, 0, _n);
    }
}
