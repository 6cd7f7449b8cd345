namespace MLNetBackprop.Engine.Data;

/// <summary>
/// Training rows in contiguous memory: features row-major [rowCount x featureCount], one target per row
/// (class index 0..K-1 for softmax, 0 or 1 for logistic, the value for regression) and optional non-negative
/// example weights.
/// </summary>
internal sealed class TrainingSet
{
    /// <summary>Wraps the arrays without copying; lengths are checked.</summary>
    public TrainingSet(float[] features, float[] targets, float[]? weights, int featureCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        if (features.Length % featureCount != 0 || features.Length / featureCount != targets.Length)
            throw new ArgumentException($"features has {features.Length} values, which is not {targets.Length} rows of {featureCount}.");
        if (weights is not null && weights.Length != targets.Length)
            throw new ArgumentException($"weights has {weights.Length} values for {targets.Length} rows.");
        Features = features;
        Targets = targets;
        Weights = weights;
        FeatureCount = featureCount;
    }

    /// <summary>Row-major features.</summary>
    public float[] Features { get; }
    /// <summary>One target per row.</summary>
    public float[] Targets { get; }
    /// <summary>Per-row weights, or null for all ones.</summary>
    public float[]? Weights { get; }
    /// <summary>Number of features per row.</summary>
    public int FeatureCount { get; }
    /// <summary>Number of rows.</summary>
    public int RowCount => Targets.Length;
}
