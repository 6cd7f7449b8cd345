using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>128-bit lanes (Arm AdvSimd).</summary>
internal unsafe struct FmaLanes128 : IFmaLanes<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;
    // NEON has 32 registers, enough for the 8-row tile.
    public static int TileRows => 8;
    public static Vector128<float> Zero => Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector128<float> value) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c)
        => Vector128.FusedMultiplyAdd(a, b, c);
}
