namespace MLNetBackprop.Engine.Kernels;

/// <summary>The vector width the matrix kernels run at.</summary>
internal enum SimdLevel
{
    /// <summary>One float at a time with <see cref="MathF.FusedMultiplyAdd"/>.</summary>
    Scalar = 0,
    /// <summary>128-bit vectors (Arm AdvSimd).</summary>
    Vector128 = 1,
    /// <summary>256-bit vectors (x86 AVX2 with FMA).</summary>
    Vector256 = 2,
    /// <summary>512-bit vectors (x86 AVX-512).</summary>
    Vector512 = 3,
}
