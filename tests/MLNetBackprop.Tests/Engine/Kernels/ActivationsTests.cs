using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Kernels;

public class ActivationsTests
{
    public static TheoryData<string> Kinds() => new(Enum.GetNames<ActivationKind>());

    private static float Apply(ActivationKind kind, float x)
    {
        Span<float> value = [x];
        Activations.Forward(kind, value);
        return value[0];
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Backward_multiplies_by_the_finite_difference_derivative(string kindName)
    {
        var kind = Enum.Parse<ActivationKind>(kindName);
        // Points on [-4, 4] that stay clear of the ReLU kink at 0 by more than the step.
        var xs = new List<float>();
        for (var x = -4f; x <= 4f; x += 0.37f)
            if (Math.Abs(x) > 0.05f)
                xs.Add(x);
        var incoming = TestData.Uniform(xs.Count, -2, 2, 42);

        var pre = xs.ToArray();
        var output = (float[])pre.Clone();
        Activations.Forward(kind, output);
        var gradient = (float[])incoming.Clone();
        Activations.Backward(kind, pre, output, gradient);

        const float h = 1e-2f;
        for (var i = 0; i < pre.Length; i++)
        {
            // Central difference: truncation error ~h²·f‴/6 ≈ 1e-4 at worst, float rounding ~1e-5.
            float up = pre[i] + h, down = pre[i] - h;
            var derivative = ((double)Apply(kind, up) - Apply(kind, down)) / ((double)up - down);
            var expected = incoming[i] * derivative;
            Assert.True(Math.Abs(gradient[i] - expected) <= 5e-4 * Math.Max(1, Math.Abs(expected)),
                $"{kind} at x={pre[i]}: backward gave {gradient[i]}, finite difference {expected}");
        }
    }

    [Theory]
    [InlineData(nameof(ActivationKind.Identity), -1.5f, -1.5f)]
    [InlineData(nameof(ActivationKind.Relu), -1.5f, 0f)]
    [InlineData(nameof(ActivationKind.Relu), 2f, 2f)]
    [InlineData(nameof(ActivationKind.LeakyRelu), -2f, -0.02f)]
    [InlineData(nameof(ActivationKind.LeakyRelu), 3f, 3f)]
    [InlineData(nameof(ActivationKind.Tanh), 0.5f, 0.46211715726f)]
    [InlineData(nameof(ActivationKind.Sigmoid), 1f, 0.73105857863f)]
    [InlineData(nameof(ActivationKind.Sigmoid), -200f, 0f)]
    [InlineData(nameof(ActivationKind.Gelu), 1f, 0.84119199061f)]
    [InlineData(nameof(ActivationKind.Gelu), -1f, -0.15880800939f)]
    [InlineData(nameof(ActivationKind.Gelu), 2f, 1.95459769409f)]
    public void Forward_computes_the_documented_function(string kindName, float x, float expected)
    {
        var kind = Enum.Parse<ActivationKind>(kindName);
        Assert.Equal(expected, Apply(kind, x), 1e-6f);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Forward_keeps_NaN_so_divergence_is_detected(string kindName)
    {
        var kind = Enum.Parse<ActivationKind>(kindName);
        Assert.True(float.IsNaN(Apply(kind, float.NaN)));
    }

    [Theory]
    [InlineData(30f, 1f)]
    [InlineData(1e25f, 1f)]
    [InlineData(-30f, 0f)]
    [InlineData(-1e25f, 0f)]
    public void Gelu_derivative_stays_finite_for_huge_inputs(float x, float expected)
    {
        float[] gradient = [1f];
        Activations.Backward(ActivationKind.Gelu, [x], [Apply(ActivationKind.Gelu, x)], gradient);
        Assert.Equal(expected, gradient[0]);
    }

    [Fact]
    public void Relu_derivative_at_zero_is_zero()
    {
        float[] gradient = [3f, 3f];
        Activations.Backward(ActivationKind.Relu, [0f, 1e-30f], [0f, 1e-30f], gradient);
        Assert.Equal([0f, 3f], gradient);
    }
}
