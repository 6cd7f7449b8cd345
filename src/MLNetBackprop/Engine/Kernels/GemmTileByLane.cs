using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// The ARM64 form of <see cref="GemmTileTwelveRows{TV, TL}.Adjacent"/>: 12 rows × 8 columns with the rows adjacent in
/// A′ (a packed panel or a transposed view). Each step loads the 12 values of A′ as three vectors and multiplies by
/// lane (FMLA by element), so no broadcast occupies the FP pipes beside the 24 multiply-adds; 24 accumulators, two B′
/// vectors and three A′ vectors use 29 of the 32 NEON registers. Callers check <see cref="AdvSimd.Arm64.IsSupported"/>.
/// </summary>
/// <remarks>
/// A multiply-add by lane is the same fused operation, rounded once, so every element is still one FMA chain over p in
/// order and the results equal every other tile's.
/// </remarks>
internal static unsafe class GemmTileByLane
{
    /// <summary>Rows of the tile: a multiple of the four lanes of a vector.</summary>
    public const int Rows = 12;

    /// <summary>Computes the tile into c (row stride ldc); A′[r, p] = a[p·aStep + r]; bias is read only when start is Bias.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Adjacent(float* a, nint aStep, float* b, nint bStep, int k, float* c, nint ldc, TileStart start, float* bias)
    {
        Vector128<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71, c80, c81, c90, c91, c100, c101, c110, c111;
        if (start == TileStart.Accumulate)
        {
            c00 = Vector128.Load(c); c01 = Vector128.Load(c + 4);
            c10 = Vector128.Load(c + ldc); c11 = Vector128.Load(c + ldc + 4);
            c20 = Vector128.Load(c + 2 * ldc); c21 = Vector128.Load(c + 2 * ldc + 4);
            c30 = Vector128.Load(c + 3 * ldc); c31 = Vector128.Load(c + 3 * ldc + 4);
            c40 = Vector128.Load(c + 4 * ldc); c41 = Vector128.Load(c + 4 * ldc + 4);
            c50 = Vector128.Load(c + 5 * ldc); c51 = Vector128.Load(c + 5 * ldc + 4);
            c60 = Vector128.Load(c + 6 * ldc); c61 = Vector128.Load(c + 6 * ldc + 4);
            c70 = Vector128.Load(c + 7 * ldc); c71 = Vector128.Load(c + 7 * ldc + 4);
            c80 = Vector128.Load(c + 8 * ldc); c81 = Vector128.Load(c + 8 * ldc + 4);
            c90 = Vector128.Load(c + 9 * ldc); c91 = Vector128.Load(c + 9 * ldc + 4);
            c100 = Vector128.Load(c + 10 * ldc); c101 = Vector128.Load(c + 10 * ldc + 4);
            c110 = Vector128.Load(c + 11 * ldc); c111 = Vector128.Load(c + 11 * ldc + 4);
        }
        else
        {
            var first = start == TileStart.Bias ? Vector128.Load(bias) : Vector128<float>.Zero;
            var second = start == TileStart.Bias ? Vector128.Load(bias + 4) : Vector128<float>.Zero;
            c00 = c10 = c20 = c30 = c40 = c50 = c60 = c70 = c80 = c90 = c100 = c110 = first;
            c01 = c11 = c21 = c31 = c41 = c51 = c61 = c71 = c81 = c91 = c101 = c111 = second;
        }

        Vector128<float> b0, b1, x0, x1, x2;
        var p = k;
        for (; p >= 2; p -= 2)
        {
            b0 = Vector128.Load(b); b1 = Vector128.Load(b + 4);
            x0 = Vector128.Load(a); x1 = Vector128.Load(a + 4); x2 = Vector128.Load(a + 8);
            c00 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c00, b0, x0, 0); c01 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c01, b1, x0, 0);
            c10 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c10, b0, x0, 1); c11 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c11, b1, x0, 1);
            c20 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c20, b0, x0, 2); c21 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c21, b1, x0, 2);
            c30 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c30, b0, x0, 3); c31 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c31, b1, x0, 3);
            c40 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c40, b0, x1, 0); c41 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c41, b1, x1, 0);
            c50 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c50, b0, x1, 1); c51 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c51, b1, x1, 1);
            c60 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c60, b0, x1, 2); c61 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c61, b1, x1, 2);
            c70 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c70, b0, x1, 3); c71 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c71, b1, x1, 3);
            c80 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c80, b0, x2, 0); c81 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c81, b1, x2, 0);
            c90 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c90, b0, x2, 1); c91 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c91, b1, x2, 1);
            c100 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c100, b0, x2, 2); c101 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c101, b1, x2, 2);
            c110 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c110, b0, x2, 3); c111 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c111, b1, x2, 3);
            a += aStep; b += bStep;
            b0 = Vector128.Load(b); b1 = Vector128.Load(b + 4);
            x0 = Vector128.Load(a); x1 = Vector128.Load(a + 4); x2 = Vector128.Load(a + 8);
            c00 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c00, b0, x0, 0); c01 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c01, b1, x0, 0);
            c10 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c10, b0, x0, 1); c11 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c11, b1, x0, 1);
            c20 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c20, b0, x0, 2); c21 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c21, b1, x0, 2);
            c30 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c30, b0, x0, 3); c31 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c31, b1, x0, 3);
            c40 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c40, b0, x1, 0); c41 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c41, b1, x1, 0);
            c50 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c50, b0, x1, 1); c51 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c51, b1, x1, 1);
            c60 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c60, b0, x1, 2); c61 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c61, b1, x1, 2);
            c70 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c70, b0, x1, 3); c71 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c71, b1, x1, 3);
            c80 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c80, b0, x2, 0); c81 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c81, b1, x2, 0);
            c90 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c90, b0, x2, 1); c91 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c91, b1, x2, 1);
            c100 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c100, b0, x2, 2); c101 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c101, b1, x2, 2);
            c110 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c110, b0, x2, 3); c111 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c111, b1, x2, 3);
            a += aStep; b += bStep;
        }
        for (; p > 0; p--)
        {
            b0 = Vector128.Load(b); b1 = Vector128.Load(b + 4);
            x0 = Vector128.Load(a); x1 = Vector128.Load(a + 4); x2 = Vector128.Load(a + 8);
            c00 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c00, b0, x0, 0); c01 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c01, b1, x0, 0);
            c10 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c10, b0, x0, 1); c11 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c11, b1, x0, 1);
            c20 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c20, b0, x0, 2); c21 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c21, b1, x0, 2);
            c30 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c30, b0, x0, 3); c31 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c31, b1, x0, 3);
            c40 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c40, b0, x1, 0); c41 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c41, b1, x1, 0);
            c50 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c50, b0, x1, 1); c51 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c51, b1, x1, 1);
            c60 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c60, b0, x1, 2); c61 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c61, b1, x1, 2);
            c70 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c70, b0, x1, 3); c71 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c71, b1, x1, 3);
            c80 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c80, b0, x2, 0); c81 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c81, b1, x2, 0);
            c90 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c90, b0, x2, 1); c91 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c91, b1, x2, 1);
            c100 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c100, b0, x2, 2); c101 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c101, b1, x2, 2);
            c110 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c110, b0, x2, 3); c111 = AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(c111, b1, x2, 3);
            a += aStep; b += bStep;
        }

        Vector128.Store(c00, c); Vector128.Store(c01, c + 4);
        Vector128.Store(c10, c + ldc); Vector128.Store(c11, c + ldc + 4);
        Vector128.Store(c20, c + 2 * ldc); Vector128.Store(c21, c + 2 * ldc + 4);
        Vector128.Store(c30, c + 3 * ldc); Vector128.Store(c31, c + 3 * ldc + 4);
        Vector128.Store(c40, c + 4 * ldc); Vector128.Store(c41, c + 4 * ldc + 4);
        Vector128.Store(c50, c + 5 * ldc); Vector128.Store(c51, c + 5 * ldc + 4);
        Vector128.Store(c60, c + 6 * ldc); Vector128.Store(c61, c + 6 * ldc + 4);
        Vector128.Store(c70, c + 7 * ldc); Vector128.Store(c71, c + 7 * ldc + 4);
        Vector128.Store(c80, c + 8 * ldc); Vector128.Store(c81, c + 8 * ldc + 4);
        Vector128.Store(c90, c + 9 * ldc); Vector128.Store(c91, c + 9 * ldc + 4);
        Vector128.Store(c100, c + 10 * ldc); Vector128.Store(c101, c + 10 * ldc + 4);
        Vector128.Store(c110, c + 11 * ldc); Vector128.Store(c111, c + 11 * ldc + 4);
    }
}
