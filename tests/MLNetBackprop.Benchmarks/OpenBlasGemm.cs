using System.Runtime.InteropServices;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// OpenBLAS's float32 GEMM called in this process, the peer of our products: calling it directly (no numpy, the
/// output preallocated) measures OpenBLAS itself, and lets <see cref="KernelBenchmark"/> alternate its samples with
/// ours within milliseconds, so a slow spell on a shared host cannot favour either side.
/// </summary>
internal sealed unsafe class OpenBlasGemm
{
    /// <summary>Debian's OpenMP build (package libopenblas0-openmp); the environment variable MLNETBACKPROP_OPENBLAS overrides it.</summary>
    private const string DebianOpenMpLibrary = "/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0";

    private const int RowMajor = 101, NoTranspose = 111, Transpose = 112;

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, void> _setThreads;

    private OpenBlasGemm(IntPtr library)
    {
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)
            NativeLibrary.GetExport(library, "cblas_sgemm");
        _setThreads = (delegate* unmanaged<int, void>)NativeLibrary.GetExport(library, "openblas_set_num_threads");
        var coreName = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(library, "openblas_get_corename");
        CoreName = Marshal.PtrToStringAnsi((IntPtr)coreName()) ?? "?";
    }

    /// <summary>The kernel family OpenBLAS chose for this CPU (for example "SkylakeX", or "Prescott" when it fell back).</summary>
    public string CoreName { get; }

    /// <summary>The library, or an exception that says how to install it.</summary>
    public static OpenBlasGemm Load()
    {
        var path = Environment.GetEnvironmentVariable("MLNETBACKPROP_OPENBLAS") is { Length: > 0 } configured ? configured : DebianOpenMpLibrary;
        if (!NativeLibrary.TryLoad(path, out var library))
            throw new InvalidOperationException(
                $"OpenBLAS was not found at {path}: install libopenblas0-openmp (bench/run.sh does) or set MLNETBACKPROP_OPENBLAS.");
        return new OpenBlasGemm(library);
    }

    /// <summary>Threads OpenBLAS uses from now on.</summary>
    public void SetThreads(int threads) => _setThreads(threads);

    /// <summary>
    /// The product <see cref="Engine.Kernels.MatrixMultiply"/> computes for <paramref name="kind"/>, on the same
    /// row-major operands: "nn" C = A·B (A m×k, B k×n), "tn" C = Aᵀ·B (A m×k, B m×n, C k×n), "nt" C = A·Bᵀ (A m×k, B n×k).
    /// </summary>
    public void Multiply(string kind, float[] a, float[] b, float[] c, int m, int k, int n)
    {
        fixed (float* pa = a, pb = b, pc = c)
        {
            switch (kind)
            {
                case "nn":
                    _sgemm(RowMajor, NoTranspose, NoTranspose, m, n, k, 1f, pa, k, pb, n, 0f, pc, n);
                    break;
                case "tn":
                    _sgemm(RowMajor, Transpose, NoTranspose, k, n, m, 1f, pa, k, pb, n, 0f, pc, n);
                    break;
                case "nt":
                    _sgemm(RowMajor, NoTranspose, Transpose, m, n, k, 1f, pa, k, pb, k, 0f, pc, n);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(kind), kind, "Expected nn, tn or nt.");
            }
        }
    }
}
