using MLNetBackprop.MLNet;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>The one-pass weighted label moments that standardize a regression label, in memory and streamed alike.</summary>
public class LabelMomentsTests
{
    [Fact]
    public void One_pass_moments_match_the_two_pass_weighted_mean_and_deviation()
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 1000).Select(_ => (float)(1e4 + random.NextDouble() * 3)).ToArray();
        var weights = Enumerable.Range(0, 1000).Select(i => i % 7 == 0 ? 0f : (float)random.NextDouble() * 2).ToArray();
        var moments = new LabelMoments();
        for (var i = 0; i < values.Length; i++)
            moments.Add(values[i], weights[i]);
        var weightSum = weights.Sum(w => (double)w);
        var mean = values.Zip(weights, (v, w) => (double)v * w).Sum() / weightSum;
        var variance = values.Zip(weights, (v, w) => w * (v - mean) * (v - mean)).Sum() / weightSum;
        Assert.Equal(mean, moments.Mean, 1e-9);
        Assert.Equal(Math.Sqrt(variance), moments.StandardDeviation, 1e-9);
    }

    [Fact]
    public void Rows_of_weight_zero_change_nothing()
    {
        var moments = new LabelMoments();
        moments.Add(2, 1);
        moments.Add(1000, 0);
        moments.Add(4, 1);
        Assert.Equal(3, moments.Mean);
        Assert.Equal(1, moments.StandardDeviation);
    }

    [Fact]
    public void A_constant_label_gets_scale_one()
    {
        var moments = new LabelMoments();
        for (var i = 0; i < 10; i++)
            moments.Add(5, 1);
        Assert.Equal(new LabelScaling(5, 1), LabelScaling.From(moments));
    }
}
