using MLNetBackprop.Engine.Layers;

namespace MLNetBackprop.Tests.Engine.Layers;

public class OutputLinkTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(2.5)]
    [InlineData(-3.0)]
    [InlineData(-100.0)]
    [InlineData(100.0)]
    public void Sigmoid_matches_the_double_precision_formula_without_overflow(double x)
    {
        var expected = 1 / (1 + Math.Exp(-x));
        Assert.Equal(expected, OutputLink.Sigmoid((float)x), 1e-7);
    }

    [Fact]
    public void Softmax_gives_probabilities_proportional_to_exponentials_even_for_huge_logits()
    {
        var probabilities = new float[3];
        OutputLink.Softmax([1000f, 1001f, 998f], probabilities);

        var e = new[] { Math.Exp(-1), 1, Math.Exp(-3) };
        for (var k = 0; k < 3; k++)
            Assert.Equal(e[k] / e.Sum(), probabilities[k], 1e-6);
    }
}
