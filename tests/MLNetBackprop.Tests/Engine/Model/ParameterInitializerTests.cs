using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Randomness;

namespace MLNetBackprop.Tests.Engine.Model;

public class ParameterInitializerTests
{
    [Theory]
    [InlineData(nameof(ActivationKind.Relu), true)]
    [InlineData(nameof(ActivationKind.LeakyRelu), true)]
    [InlineData(nameof(ActivationKind.Tanh), false)]
    [InlineData(nameof(ActivationKind.Sigmoid), false)]
    [InlineData(nameof(ActivationKind.Gelu), false)]
    [InlineData(nameof(ActivationKind.Identity), false)]
    public void Weights_fill_the_He_or_Glorot_range_and_biases_start_at_zero(string activationName, bool he)
    {
        var activation = Enum.Parse<ActivationKind>(activationName);
        var layout = new NetworkLayout(60, [80], 30, activation);
        var parameters = new float[layout.ParameterCount];
        ParameterInitializer.Initialize(layout, parameters, new SeededRandom(1));

        double[] limits = [he ? Math.Sqrt(6.0 / 60) : Math.Sqrt(6.0 / 140), Math.Sqrt(6.0 / 110)]; // output layer: Glorot
        for (var l = 0; l < 2; l++)
        {
            var weights = parameters.AsSpan(layout.WeightOffsets[l], layout.Widths[l] * layout.Widths[l + 1]).ToArray();
            var maxAbs = weights.Max(Math.Abs);
            Assert.InRange(maxAbs, 0.98 * limits[l], limits[l]);
            Assert.Equal(0, weights.Average(), 0.02 * limits[l]);
            Assert.All(parameters.AsSpan(layout.BiasOffsets[l], layout.Widths[l + 1]).ToArray(), b => Assert.Equal(0f, b));
        }
    }

    [Fact]
    public void Initialisation_is_determined_by_the_generator()
    {
        var layout = new NetworkLayout(4, [5], 2, ActivationKind.Tanh);
        float[] Init(long seed)
        {
            var p = new float[layout.ParameterCount];
            ParameterInitializer.Initialize(layout, p, new SeededRandom(seed));
            return p;
        }
        Assert.Equal(Init(3), Init(3));
        Assert.NotEqual(Init(3), Init(4));
    }

    [Fact]
    public void Inputs_added_by_an_encoding_start_with_zero_weights_and_the_other_weights_are_drawn_as_without()
    {
        var layout = new NetworkLayout(6, [5], 2, ActivationKind.Relu);
        var plain = new float[layout.ParameterCount];
        ParameterInitializer.Initialize(layout, plain, new SeededRandom(5));
        var encoded = new float[layout.ParameterCount];
        ParameterInitializer.Initialize(layout, encoded, new SeededRandom(5), firstEncodedInput: 4);

        var firstLayer = layout.WeightOffsets[0];
        Assert.Equal(plain[..(firstLayer + 4 * 5)], encoded[..(firstLayer + 4 * 5)]);
        Assert.All(encoded[(firstLayer + 4 * 5)..(firstLayer + 6 * 5)], w => Assert.Equal(0f, w));
        Assert.Equal(plain[(firstLayer + 6 * 5)..], encoded[(firstLayer + 6 * 5)..]);
    }
}
