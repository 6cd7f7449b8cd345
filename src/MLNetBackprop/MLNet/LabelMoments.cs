namespace MLNetBackprop.MLNet;

/// <summary>
/// The weighted mean and variance of a label, accumulated row by row in one pass (West's weighted form of Welford's
/// method, in double), so rows in memory and streamed rows give the same figures.
/// </summary>
internal sealed class LabelMoments
{
    /// <summary>Sum of the weights.</summary>
    public double WeightSum { get; private set; }
    /// <summary>Weighted mean.</summary>
    public double Mean { get; private set; }
    /// <summary>Weighted sum of squared deviations from the mean.</summary>
    public double SquaredDeviations { get; private set; }

    /// <summary>Adds a row with label <paramref name="value"/> and weight <paramref name="weight"/> (0 adds nothing).</summary>
    public void Add(float value, float weight)
    {
        if (!(weight > 0))
            return;
        WeightSum += weight;
        var delta = value - Mean;
        Mean += weight / WeightSum * delta;
        SquaredDeviations += weight * delta * (value - Mean);
    }

    /// <summary>
    /// Adds the moments of other values of weight <paramref name="weightSum"/>, mean <paramref name="mean"/> and
    /// weighted squared deviations <paramref name="squaredDeviations"/> (Chan et al.'s pairwise update).
    /// </summary>
    public void Add(double weightSum, double mean, double squaredDeviations)
    {
        if (!(weightSum > 0))
            return;
        var total = WeightSum + weightSum;
        var delta = mean - Mean;
        SquaredDeviations += squaredDeviations + delta * delta * WeightSum * weightSum / total;
        Mean += delta * weightSum / total;
        WeightSum = total;
    }

    /// <summary>Weighted standard deviation (0 without weight).</summary>
    public double StandardDeviation => WeightSum > 0 ? Math.Sqrt(Math.Max(0, SquaredDeviations) / WeightSum) : 0;
}
