namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// One product C[M×N] (+)= A′·B′ in raw-pointer form, where A′[i, p] = A[i·ARowStride + p·AKStride] and
/// B′[p, j] = B[p·BKStride + j·BColumnStride]; strides express the transposed views without copying.
/// The caller keeps the buffers pinned while a product runs.
/// </summary>
internal unsafe struct GemmOperands
{
    public float* A;
    public nint ARowStride, AKStride;
    public float* B;
    public nint BKStride, BColumnStride;
    public float* C;
    public nint Ldc;
    /// <summary>Per-column bias that starts each sum (null: start from zero or from C).</summary>
    public float* Bias;
    /// <summary>Start each sum from C's current value.</summary>
    public bool Accumulate;
    /// <summary>When not null, also receives Activation(C) with C's layout.</summary>
    public float* Activated;
    public ActivationKind Activation;
    public int M, N, K;
    /// <summary>Copy column blocks of B′ into a contiguous panel (transposed B, or strides that thrash the cache).</summary>
    public bool PackB;

    /// <summary>How the tiles' accumulators start.</summary>
    public readonly TileStart Start => Accumulate ? TileStart.Accumulate : Bias != null ? TileStart.Bias : TileStart.Zero;
}
