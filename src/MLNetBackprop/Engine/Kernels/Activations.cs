using System.Runtime.CompilerServices;

namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// Element-wise activations: the forward function in place, and the backward step that multiplies an incoming
/// gradient by the derivative. Every element is computed the same way wherever it sits in a span, so single-row
/// and batched prediction agree bit for bit: the piecewise-linear ones are vectorized with exact operations
/// (compare, select, multiply), the transcendental ones stay scalar.
/// </summary>
internal static class Activations
{
    /// <summary>Slope of <see cref="ActivationKind.LeakyRelu"/> for negative inputs.</summary>
    public const float LeakySlope = 0.01f;

    /// <summary>√(2/π), the scale inside the tanh of the GELU approximation.</summary>
    public const float GeluScale = 0.7978845608028654f;
    /// <summary>The cubic coefficient of the GELU tanh approximation.</summary>
    public const float GeluCubic = 0.044715f;

    /// <summary>Replaces every value x with f(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ActivationKind kind, Span<float> values)
    {
        switch (kind)
        {
            case ActivationKind.Identity:
                break;
            case ActivationKind.Relu:
                // NaN must survive (a plain max would turn it into 0) so that divergence reaches the loss check.
                PiecewiseLinear.Forward(0f, values, values);
                break;
            case ActivationKind.LeakyRelu:
                PiecewiseLinear.Forward(LeakySlope, values, values);
                break;
            case ActivationKind.Tanh:
                foreach (ref var x in values)
                    x = MathF.Tanh(x);
                break;
            case ActivationKind.Sigmoid:
                foreach (ref var x in values)
                    x = 1f / (1f + MathF.Exp(-x));
                break;
            case ActivationKind.Gelu:
                foreach (ref var x in values)
                    x = 0.5f * x * (1f + MathF.Tanh(GeluScale * (x + GeluCubic * x * x * x)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation.");
        }
    }

    /// <summary>destination[i] = f(source[i]); the same values <see cref="Forward(ActivationKind, Span{float})"/> gives.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ActivationKind kind, ReadOnlySpan<float> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
            throw new ArgumentException("destination is shorter than source.", nameof(destination));
        switch (kind)
        {
            case ActivationKind.Relu:
                PiecewiseLinear.Forward(0f, source, destination);
                break;
            case ActivationKind.LeakyRelu:
                PiecewiseLinear.Forward(LeakySlope, source, destination);
                break;
            default:
                source.CopyTo(destination);
                Forward(kind, destination[..source.Length]);
                break;
        }
    }

    /// <summary>
    /// gradient[i] *= f′(preActivation[i]). <paramref name="output"/> holds f(preActivation), which tanh and
    /// sigmoid reuse instead of re-evaluating the function.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ActivationKind kind, ReadOnlySpan<float> preActivation, ReadOnlySpan<float> output, Span<float> gradient)
    {
        var n = gradient.Length;
        if (preActivation.Length < n || output.Length < n)
            throw new ArgumentException("Activation buffers are shorter than the gradient.");
        switch (kind)
        {
            case ActivationKind.Identity:
                break;
            case ActivationKind.Relu:
                // The derivative at exactly 0 is taken as 0, like scikit-learn.
                PiecewiseLinear.Backward(0f, preActivation, gradient);
                break;
            case ActivationKind.LeakyRelu:
                PiecewiseLinear.Backward(LeakySlope, preActivation, gradient);
                break;
            case ActivationKind.Tanh:
                for (var i = 0; i < n; i++)
                    gradient[i] *= 1f - output[i] * output[i];
                break;
            case ActivationKind.Sigmoid:
                for (var i = 0; i < n; i++)
                    gradient[i] *= output[i] * (1f - output[i]);
                break;
            case ActivationKind.Gelu:
                for (var i = 0; i < n; i++)
                    gradient[i] *= GeluDerivative(preActivation[i]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation.");
        }
    }

    private static float GeluDerivative(float x)
    {
        // Beyond |x| = 10 tanh is exactly ±1 in float and the formula below would compute 0·∞ once x³ overflows.
        if (x > 10f)
            return 1f;
        if (x < -10f)
            return 0f;
        var t = MathF.Tanh(GeluScale * (x + GeluCubic * x * x * x));
        return 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * GeluScale * (1f + 3f * GeluCubic * x * x);
    }
}
