using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// Asks the CPU to start loading memory a loop will soon read at an address the hardware prefetcher cannot guess (the
/// next of a list of scattered rows), so several loads are in flight instead of one full memory latency per row.
/// A hint only: it never faults and changes no value; where the CPU has no prefetch instruction it does nothing.
/// </summary>
internal static unsafe class CachePrefetch
{
    /// <summary>Requests the cache lines of <paramref name="length"/> floats from <paramref name="start"/> on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Floats(float* start, long length)
    {
        if (!Sse.IsSupported)
            return;
        var bytes = length * sizeof(float);
        for (long offset = 0; offset < bytes; offset += 64)
            Sse.Prefetch0((byte*)start + offset);
    }

    /// <summary>Requests the cache lines of <paramref name="length"/> floats of <paramref name="row"/> from <paramref name="offset"/> on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Floats(ReadOnlySpan<float> row, int offset, int length)
    {
        // The address is only a hint, so an unpinned array moving under it costs nothing but the hint.
        if ((uint)offset < (uint)row.Length)
            Floats((float*)Unsafe.AsPointer(ref Unsafe.AsRef(in row[offset])), Math.Min(length, row.Length - offset));
    }
}
