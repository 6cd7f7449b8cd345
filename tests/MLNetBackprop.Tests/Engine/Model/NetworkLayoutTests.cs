using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;

namespace MLNetBackprop.Tests.Engine.Model;

/// <summary>The layout's offsets into the flat parameter vector, and networks too large for one array.</summary>
public class NetworkLayoutTests
{
    [Fact]
    public void Each_layer_stores_its_weights_then_its_biases_one_after_another()
    {
        var layout = new NetworkLayout(3, [4], 2, ActivationKind.Relu);

        Assert.Equal([0, 16], layout.WeightOffsets.ToArray());
        Assert.Equal([12, 24], layout.BiasOffsets.ToArray());
        Assert.Equal(26, layout.ParameterCount);
        Assert.Equal(26, NetworkLayout.CountParameters(layout.Widths));
    }

    [Theory]
    [InlineData(100_000, 30_000)] // the first layer alone is more than an int can count
    [InlineData(30_000, 50_000)] // each layer fits; together they do not
    public void A_network_too_large_for_one_array_is_refused_with_its_size(int inputs, int hidden)
    {
        var error = Assert.Throws<ArgumentException>(() => new NetworkLayout(inputs, [hidden, hidden], 1, ActivationKind.Relu));

        Assert.Contains($"The network has {NetworkLayout.CountParameters([inputs, hidden, hidden, 1])} parameters", error.Message);
        Assert.Contains("use narrower layers", error.Message);
    }
}
