using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>256-bit lanes (AVX2 + FMA), the x86 fallback.</summary>
internal unsafe struct FmaLanes256 : IFmaLanes<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    // AVX2 has 16 ymm registers: the 8-row tile's 16 accumulators would spill.
    public static int TileRows => 6;
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector256<float> value) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c)
        => Vector256.FusedMultiplyAdd(a, b, c);
}
