using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>Chooses the widest vector path the CPU runs with hardware FMA; tests can force a narrower one.</summary>
internal static class SimdSelection
{
    /// <summary>The widest accelerated level on this machine.</summary>
    public static readonly SimdLevel Best = Detect();

    // Thread-static so a test forcing the fallback never changes what concurrently running tests compute;
    // the level is captured on the calling thread and handed to worker threads with the job.
    [ThreadStatic] private static SimdLevel? _forced;

    /// <summary>The level kernels called from this thread use: the forced one, else <see cref="Best"/>.</summary>
    public static SimdLevel Current => _forced is { } level && level < Best ? level : Best;

    /// <summary>Forces kernels called from this thread to <paramref name="level"/> (or narrower-than-best) until disposed.</summary>
    public static IDisposable Force(SimdLevel level)
    {
        var previous = _forced;
        _forced = level;
        return new Restore(previous);
    }

    private static SimdLevel Detect()
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
            return SimdLevel.Vector512;
        if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
            return SimdLevel.Vector256;
        if (Vector128.IsHardwareAccelerated && AdvSimd.IsSupported)
            return SimdLevel.Vector128;
        return SimdLevel.Scalar;
    }

    private sealed class Restore(SimdLevel? previous) : IDisposable
    {
        public void Dispose() => _forced = previous;
    }
}
