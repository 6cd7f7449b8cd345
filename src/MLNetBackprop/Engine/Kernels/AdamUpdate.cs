using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// The Adam update, vectorized and split across cores for large parameter vectors. It performs exactly the
/// scalar formula's operations in the same order (no fused multiply-add, IEEE square root and division, the same
/// <see cref="DecayingMoment"/> flush), so it gives the scalar loop's bits; each element is updated by one thread.
/// </summary>
internal sealed unsafe class AdamUpdate : IKernelJob
{
    // Below this many parameters a fork costs more than the second core saves.
    private const int ParallelThreshold = 32 * 1024;

    [ThreadStatic] private static AdamUpdate? _perThread;

    private float* _parameters, _gradient, _m, _v;
    private ParameterRange* _ranges;
    private int _count, _rangeCount;
    private float _rate, _beta1, _beta2, _epsilon;

    /// <summary>
    /// For every i: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g·g (each flushed to zero below
    /// <see cref="DecayingMoment.FlushBelow"/>), p ← p − rate·m/(√v + ε).
    /// </summary>
    public static void Step(Span<float> parameters, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v,
        float rate, float beta1, float beta2, float epsilon)
    {
        var n = m.Length;
        if (parameters.Length < n || gradient.Length < n || v.Length < n)
            throw new ArgumentException("Adam buffers are shorter than the moments.");
        if (n < ParallelThreshold || KernelThreads.ThreadCount == 1)
        {
            Range(parameters[..n], gradient[..n], m, v[..n], rate, beta1, beta2, epsilon);
            return;
        }
        fixed (float* p = parameters, g = gradient, pm = m, pv = v)
            Launch(p, g, pm, pv, n, null, 0, KernelThreads.ThreadCount, rate, beta1, beta2, epsilon);
    }

    /// <summary>
    /// <see cref="Step(Span{float}, ReadOnlySpan{float}, Span{float}, Span{float}, float, float, float, float)"/> on the
    /// elements in <paramref name="ranges"/> (increasing, not overlapping) only: the lazy update of a sparse batch, many
    /// short scattered ranges, which the threads share range by range while the next ranges are prefetched.
    /// </summary>
    public static void Step(Span<float> parameters, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v,
        ReadOnlySpan<ParameterRange> ranges, float rate, float beta1, float beta2, float epsilon)
    {
        var n = m.Length;
        if (parameters.Length < n || gradient.Length < n || v.Length < n)
            throw new ArgumentException("Adam buffers are shorter than the moments.");
        long total = 0;
        foreach (var range in ranges)
        {
            if (range.Start < 0 || range.Length < 0 || range.Start + (long)range.Length > n
                || range.GradientStart < 0 || range.GradientStart + (long)range.Length > gradient.Length)
                throw new ArgumentOutOfRangeException(nameof(ranges), $"The range {range} lies outside the {n} parameters or the gradient.");
            total += range.Length;
        }
        if (ranges.IsEmpty)
            return; // (a null pointer would read as the whole vector below)
        if (ranges.Length == 1 && ranges[0].GradientStart == ranges[0].Start)
        {
            var (start, length) = ranges[0];
            Step(parameters.Slice(start, length), gradient.Slice(start, length), m.Slice(start, length), v.Slice(start, length),
                rate, beta1, beta2, epsilon);
            return;
        }
        fixed (float* p = parameters, g = gradient, pm = m, pv = v)
        fixed (ParameterRange* r = ranges)
            Launch(p, g, pm, pv, n, r, ranges.Length, total < ParallelThreshold ? 1 : KernelThreads.ThreadCount, rate, beta1, beta2, epsilon);
    }

    // Runs the job over pinned buffers: the whole vector, or the ranges when there are some.
    private static void Launch(float* parameters, float* gradient, float* m, float* v, int count, ParameterRange* ranges,
        int rangeCount, int parts, float rate, float beta1, float beta2, float epsilon)
    {
        var job = _perThread ??= new AdamUpdate();
        job._parameters = parameters;
        job._gradient = gradient;
        job._m = m;
        job._v = v;
        job._ranges = ranges;
        (job._count, job._rangeCount) = (count, rangeCount);
        (job._rate, job._beta1, job._beta2, job._epsilon) = (rate, beta1, beta2, epsilon);
        try
        {
            KernelThreads.Run(job, parts);
        }
        finally
        {
            job._parameters = job._gradient = job._m = job._v = null; // unpinned from here on
            job._ranges = null;
        }
    }

    // Ranges ahead whose elements are requested before the update reaches them: lazy ranges are scattered rows.
    private const int PrefetchDistance = 4;

    /// <inheritdoc/>
    public void Execute(int part, int parts)
    {
        if (_ranges != null)
        {
            ExecuteRanges(part, parts);
            return;
        }
        // Split at multiples of 64 floats so each thread owns whole cache lines.
        var start = (int)((long)_count * part / parts) & ~63;
        var end = part == parts - 1 ? _count : (int)((long)_count * (part + 1) / parts) & ~63;
        var length = end - start;
        Range(new Span<float>(_parameters + start, length), new ReadOnlySpan<float>(_gradient + start, length),
            new Span<float>(_m + start, length), new Span<float>(_v + start, length), _rate, _beta1, _beta2, _epsilon);
    }

    // Part p takes the ranges p·count/parts up to (p+1)·count/parts: every element is still updated by one thread with
    // the same operations, so the split cannot change a bit.
    private void ExecuteRanges(int part, int parts)
    {
        var first = (int)((long)_rangeCount * part / parts);
        var end = (int)((long)_rangeCount * (part + 1) / parts);
        for (var i = first; i < end; i++)
        {
            if (i + PrefetchDistance < end)
            {
                var ahead = _ranges[i + PrefetchDistance];
                CachePrefetch.Floats(_parameters + ahead.Start, ahead.Length);
                CachePrefetch.Floats(_gradient + ahead.GradientStart, ahead.Length);
                CachePrefetch.Floats(_m + ahead.Start, ahead.Length);
                CachePrefetch.Floats(_v + ahead.Start, ahead.Length);
            }
            var (start, length) = _ranges[i];
            Range(new Span<float>(_parameters + start, length), new ReadOnlySpan<float>(_gradient + _ranges[i].GradientStart, length),
                new Span<float>(_m + start, length), new Span<float>(_v + start, length), _rate, _beta1, _beta2, _epsilon);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Range(Span<float> parameters, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v,
        float rate, float beta1, float beta2, float epsilon)
    {
        var n = m.Length;
        float c1 = 1 - beta1, c2 = 1 - beta2;
        ref var p = ref MemoryMarshal.GetReference(parameters);
        ref var g = ref MemoryMarshal.GetReference(gradient);
        ref var mr = ref MemoryMarshal.GetReference(m);
        ref var vr = ref MemoryMarshal.GetReference(v);
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> b1 = Vector512.Create(beta1), b2 = Vector512.Create(beta2), k1 = Vector512.Create(c1);
            Vector512<float> k2 = Vector512.Create(c2), r = Vector512.Create(rate), e = Vector512.Create(epsilon);
            var tiny = Vector512.Create(DecayingMoment.FlushBelow);
            for (; (int)i <= n - Vector512<float>.Count; i += (nuint)Vector512<float>.Count)
            {
                var gi = Vector512.LoadUnsafe(ref g, i);
                var mi = b1 * Vector512.LoadUnsafe(ref mr, i) + k1 * gi;
                var vi = b2 * Vector512.LoadUnsafe(ref vr, i) + k2 * gi * gi;
                mi = Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(mi), tiny), default, mi);
                vi = Vector512.ConditionalSelect(Vector512.LessThan(vi, tiny), default, vi);
                mi.StoreUnsafe(ref mr, i);
                vi.StoreUnsafe(ref vr, i);
                (Vector512.LoadUnsafe(ref p, i) - r * mi / (Vector512.Sqrt(vi) + e)).StoreUnsafe(ref p, i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> b1 = Vector256.Create(beta1), b2 = Vector256.Create(beta2), k1 = Vector256.Create(c1);
            Vector256<float> k2 = Vector256.Create(c2), r = Vector256.Create(rate), e = Vector256.Create(epsilon);
            var tiny = Vector256.Create(DecayingMoment.FlushBelow);
            for (; (int)i <= n - Vector256<float>.Count; i += (nuint)Vector256<float>.Count)
            {
                var gi = Vector256.LoadUnsafe(ref g, i);
                var mi = b1 * Vector256.LoadUnsafe(ref mr, i) + k1 * gi;
                var vi = b2 * Vector256.LoadUnsafe(ref vr, i) + k2 * gi * gi;
                mi = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(mi), tiny), default, mi);
                vi = Vector256.ConditionalSelect(Vector256.LessThan(vi, tiny), default, vi);
                mi.StoreUnsafe(ref mr, i);
                vi.StoreUnsafe(ref vr, i);
                (Vector256.LoadUnsafe(ref p, i) - r * mi / (Vector256.Sqrt(vi) + e)).StoreUnsafe(ref p, i);
            }
        }
        for (; (int)i < n; i++)
        {
            var gi = Unsafe.Add(ref g, i);
            var mi = DecayingMoment.Flush(beta1 * Unsafe.Add(ref mr, i) + c1 * gi);
            var vi = DecayingMoment.Flush(beta2 * Unsafe.Add(ref vr, i) + c2 * gi * gi);
            Unsafe.Add(ref mr, i) = mi;
            Unsafe.Add(ref vr, i) = vi;
            Unsafe.Add(ref p, i) -= rate * mi / (MathF.Sqrt(vi) + epsilon);
        }
    }
}
