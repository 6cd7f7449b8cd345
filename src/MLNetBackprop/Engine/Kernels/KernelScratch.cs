using System.Runtime.CompilerServices;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// Per-thread scratch memory for packed panels: pinned, 64-byte aligned, grown on demand and then reused, so
/// products allocate nothing after the first call of a given size on a thread.
/// </summary>
internal static unsafe class KernelScratch
{
    private const int AlignmentFloats = 16;

    [ThreadStatic] private static float[]? _buffer;

    /// <summary>A pointer to at least <paramref name="floats"/> floats, valid until the next call on this thread.</summary>
    public static float* Get(int floats)
    {
        var buffer = _buffer;
        if (buffer is null || buffer.Length < floats + AlignmentFloats)
        {
            buffer = GC.AllocateUninitializedArray<float>(floats + AlignmentFloats, pinned: true);
            _buffer = buffer;
        }
        var start = (nint)Unsafe.AsPointer(ref buffer[0]);
        var aligned = (start + 63) & ~(nint)63;
        return (float*)aligned;
    }
}
