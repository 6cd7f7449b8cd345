using MLNetBackprop.Engine.Kernels;

namespace MLNetBackprop.KernelProbe;

/// <summary>
/// The product forms that share a packed block between threads, on fixed operands of an m×k by k×n product: A·B, then
/// C += A·B, A·B + bias with its ReLU, and Aᵀ·B. Computing them under two thread settings and comparing the results
/// checks the shared path on products too large for the naive loop.
/// </summary>
internal sealed class ProductForms(int m, int k, int n)
{
    /// <summary>What each result of <see cref="Compute"/> is, in order.</summary>
    public static readonly string[] Names = ["A·B", "C += A·B", "A·B + bias", "relu(A·B + bias)", "Aᵀ·B"];

    /// <summary>A, m×k row-major.</summary>
    public ArraySegment<float> A { get; } = ExactProducts.Values(m * k, 1);

    /// <summary>B, k×n row-major.</summary>
    public ArraySegment<float> B { get; } = ExactProducts.Values(k * n, 2);

    /// <summary>The bias, n values.</summary>
    public ArraySegment<float> Bias { get; } = ExactProducts.Values(n, 3);

    /// <summary>The A of Aᵀ·B, k×m row-major (its transpose is the m×k factor).</summary>
    public ArraySegment<float> At { get; } = ExactProducts.Values(k * m, 6);

    /// <summary>Every form's m×n result, in the order of <see cref="Names"/>.</summary>
    public float[][] Compute()
    {
        var product = new float[m * n];
        MatrixMultiply.Multiply(A, B, product, m, k, n);
        var accumulated = (float[])product.Clone();
        MatrixMultiply.Multiply(A, B, accumulated, m, k, n, accumulate: true);
        var withBias = new float[m * n];
        var activated = new float[m * n];
        MatrixMultiply.MultiplyAddBias(A, B, Bias, withBias, m, k, n, ActivationKind.Relu, activated);
        var transposedA = new float[m * n];
        MatrixMultiply.MultiplyTransposedA(At, B, transposedA, k, m, n);
        return [product, accumulated, withBias, activated, transposedA];
    }
}
