using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Layers;

public class DenseLayerTests
{
    // 4-5-3-2 with tanh: layer 1 is a hidden layer above another, layer 2 the output layer.
    private static readonly NetworkLayout Layout = new(4, [5, 3], 2, ActivationKind.Tanh);
    private const int Rows = 3;

    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    public void Backward_gives_the_weight_bias_and_input_gradients_that_finite_differences_give(int layer, bool dropout)
    {
        // The objective is Σ G ⊙ output of the layer, for a fixed random G, as a function of the layer's parameters
        // and of the pre-activations of the layer below (through its tanh and dropout mask).
        int fanIn = Layout.Widths[layer], fanOut = Layout.Widths[layer + 1];
        var hidden = layer < Layout.LayerCount - 1;
        var parameters = TestData.Uniform(Layout.ParameterCount, -0.8f, 0.8f, 21);
        var below = TestData.Uniform(Rows * fanIn, -1.5f, 1.5f, 22);
        var mask = dropout ? TestData.Uniform(Rows * fanIn, 0, 1, 23).Select(u => u < 0.3f ? 0f : 2f).ToArray() : [];
        var upstream = TestData.Uniform(Rows * fanOut, -1, 1, 24);
        var belowActivations = below.Select(z => (float)Math.Tanh(z)).ToArray();
        var input = belowActivations.Select((a, i) => dropout ? a * mask[i] : a).ToArray();

        // ∂objective/∂Z of the layer itself: G, times f′(Z) for a hidden layer.
        var z = Output(parameters, below, mask, layer, activate: false);
        var outputGradient = upstream.Select((g, i) => (float)(hidden ? g * (1 - Math.Tanh(z[i]) * Math.Tanh(z[i])) : g)).ToArray();
        var gradient = new float[Layout.ParameterCount];
        var inputGradient = new float[Rows * fanIn];
        DenseLayer.Backward(Layout, parameters, layer, input, outputGradient, gradient, inputGradient,
            new LayerBelow(ActivationKind.Tanh, below, belowActivations, mask), Rows);

        double Objective(float[] p, float[] zBelow)
            => Output(p, zBelow, mask, layer, hidden).Select((y, i) => upstream[i] * y).Sum();
        int weights = Layout.WeightOffsets[layer], biases = Layout.BiasOffsets[layer];
        for (var i = 0; i < fanIn * fanOut; i++)
            AssertDerivative(gradient[weights + i], parameters, weights + i, p => Objective(p, below), $"weight {i}");
        for (var j = 0; j < fanOut; j++)
            AssertDerivative(gradient[biases + j], parameters, biases + j, p => Objective(p, below), $"bias {j}");
        for (var i = 0; i < inputGradient.Length; i++)
            AssertDerivative(inputGradient[i], below, i, zBelow => Objective(parameters, zBelow), $"input {i}");
    }

    // The layer's output in double: (tanh(zBelow) ⊙ mask)·W + b, and tanh of it when activated.
    private static double[] Output(float[] parameters, float[] zBelow, float[] mask, int layer, bool activate)
    {
        var input = zBelow.Select((v, i) => Math.Tanh(v) * (mask.Length == 0 ? 1 : mask[i])).ToArray();
        var z = ReferenceNetwork.Affine(Layout, parameters.Select(v => (double)v).ToArray(), layer, input, Rows);
        return activate ? z.Select(Math.Tanh).ToArray() : z;
    }

    // Central difference of `objective` in element `index` of `values`, against the analytic derivative.
    private static void AssertDerivative(float analytic, float[] values, int index, Func<float[], double> objective, string what)
    {
        const float h = 1e-3f;
        var saved = values[index];
        values[index] = saved + h;
        var up = objective(values);
        values[index] = saved - h;
        var down = objective(values);
        values[index] = saved;
        var numeric = (up - down) / ((double)(saved + h) - (saved - h));
        Assert.True(Math.Abs(analytic - numeric) <= 1e-4 + 1e-3 * Math.Abs(numeric),
            $"{what}: backward {analytic}, finite difference {numeric}");
    }
}
