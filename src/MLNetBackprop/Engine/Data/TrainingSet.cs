namespace MLNetBackprop.Engine.Data;

/// <summary>
/// Training rows in memory, one target per row (class index 0..K-1 for softmax, 0 or 1 for logistic, the value for
/// regression) and optional non-negative example weights. The features are stored either dense, row-major
/// [rowCount × featureCount] in <see cref="Features"/>, or sparse in <see cref="SparseFeatures"/>; training gives
/// the same model from either, within float rounding (the sparse first layer computes on the non-zeros only).
/// </summary>
internal sealed class TrainingSet
{
    /// <summary>Dense rows: wraps the arrays without copying; lengths are checked.</summary>
    public TrainingSet(float[] features, float[] targets, float[]? weights, int featureCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        if (features.Length % featureCount != 0 || features.Length / featureCount != targets.Length)
            throw new ArgumentException($"features has {features.Length} values, which is not {targets.Length} rows of {featureCount}.");
        CheckWeights(weights, targets);
        Features = features;
        Targets = targets;
        Weights = weights;
        FeatureCount = featureCount;
    }

    /// <summary>Sparse rows: wraps the arrays without copying; lengths are checked.</summary>
    public TrainingSet(SparseRows features, float[] targets, float[]? weights)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.RowCount != targets.Length)
            throw new ArgumentException($"features has {features.RowCount} rows but there are {targets.Length} targets.");
        CheckWeights(weights, targets);
        SparseFeatures = features;
        Targets = targets;
        Weights = weights;
        FeatureCount = features.Width;
    }

    /// <summary>Row-major dense features, or null when the rows are sparse.</summary>
    public float[]? Features { get; }
    /// <summary>The sparse rows, or null when the rows are dense.</summary>
    public SparseRows? SparseFeatures { get; }
    /// <summary>Whether the rows are stored sparse.</summary>
    public bool IsSparse => SparseFeatures is not null;
    /// <summary>One target per row.</summary>
    public float[] Targets { get; }
    /// <summary>Per-row weights, or null for all ones.</summary>
    public float[]? Weights { get; }
    /// <summary>Number of features per row.</summary>
    public int FeatureCount { get; }
    /// <summary>Number of rows.</summary>
    public int RowCount => Targets.Length;

    /// <summary>The same features with other targets and weights (lengths checked), sharing the feature arrays.</summary>
    public TrainingSet WithTargets(float[] targets, float[]? weights)
        => SparseFeatures is { } sparse ? new TrainingSet(sparse, targets, weights) : new TrainingSet(Features!, targets, weights, FeatureCount);

    /// <summary>The rows whose entry in <paramref name="keep"/> is true, in order, copied.</summary>
    public TrainingSet Subset(ReadOnlySpan<bool> keep)
    {
        if (keep.Length != RowCount)
            throw new ArgumentException($"keep has {keep.Length} entries for {RowCount} rows.", nameof(keep));
        var count = 0;
        foreach (var k in keep)
            count += k ? 1 : 0;
        var targets = new float[count];
        var weights = Weights is null ? null : new float[count];
        var next = 0;
        for (var r = 0; r < RowCount; r++)
        {
            if (!keep[r])
                continue;
            targets[next] = Targets[r];
            if (weights is not null)
                weights[next] = Weights![r];
            next++;
        }
        if (SparseFeatures is { } sparse)
            return new TrainingSet(sparse.Subset(keep), targets, weights);
        var features = new float[count * FeatureCount];
        next = 0;
        for (var r = 0; r < RowCount; r++)
            if (keep[r])
                Features.AsSpan(r * FeatureCount, FeatureCount).CopyTo(features.AsSpan(next++ * FeatureCount));
        return new TrainingSet(features, targets, weights, FeatureCount);
    }

    private static void CheckWeights(float[]? weights, float[] targets)
    {
        if (weights is not null && weights.Length != targets.Length)
            throw new ArgumentException($"weights has {weights.Length} values for {targets.Length} rows.");
    }
}
