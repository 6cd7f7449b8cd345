namespace MLNetBackprop.Engine.Data;

/// <summary>
/// Training rows in memory, <see cref="TargetWidth"/> targets per row (one class index 0..K-1 for softmax, one 0 or 1
/// for logistic, the value of each output for regression, each label and its weight for multi-label) and optional
/// non-negative example weights. The features are stored either dense, row-major
/// [rowCount × featureCount] in <see cref="Features"/>, or sparse in <see cref="SparseFeatures"/>; training gives
/// the same model from either, within float rounding (the sparse first layer computes on the non-zeros only).
/// </summary>
internal sealed class TrainingSet
{
    /// <summary>Dense rows: wraps the arrays without copying; lengths are checked.</summary>
    public TrainingSet(float[] features, float[] targets, float[]? weights, int featureCount, int targetWidth = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        var rows = RowsOf(targets, targetWidth);
        if (features.Length % featureCount != 0 || features.Length / featureCount != rows)
            throw new ArgumentException($"features has {features.Length} values, which is not {rows} rows of {featureCount}.");
        CheckWeights(weights, rows);
        Features = features;
        Targets = targets;
        Weights = weights;
        FeatureCount = featureCount;
        TargetWidth = targetWidth;
    }

    /// <summary>Sparse rows: wraps the arrays without copying; lengths are checked.</summary>
    public TrainingSet(SparseRows features, float[] targets, float[]? weights, int targetWidth = 1)
    {
        ArgumentNullException.ThrowIfNull(features);
        var rows = RowsOf(targets, targetWidth);
        if (features.RowCount != rows)
            throw new ArgumentException($"features has {features.RowCount} rows but there are {rows} rows of targets.");
        CheckWeights(weights, rows);
        SparseFeatures = features;
        Targets = targets;
        Weights = weights;
        FeatureCount = features.Width;
        TargetWidth = targetWidth;
    }

    /// <summary>Row-major dense features, or null when the rows are sparse.</summary>
    public float[]? Features { get; }
    /// <summary>The sparse rows, or null when the rows are dense.</summary>
    public SparseRows? SparseFeatures { get; }
    /// <summary>Whether the rows are stored sparse.</summary>
    public bool IsSparse => SparseFeatures is not null;
    /// <summary>Row-major targets [rows × <see cref="TargetWidth"/>].</summary>
    public float[] Targets { get; }
    /// <summary>Targets per row (1 for softmax, logistic and single-output regression).</summary>
    public int TargetWidth { get; }
    /// <summary>Per-row weights, or null for all ones.</summary>
    public float[]? Weights { get; }
    /// <summary>Number of features per row.</summary>
    public int FeatureCount { get; }
    /// <summary>Number of rows.</summary>
    public int RowCount => Targets.Length / TargetWidth;

    /// <summary>The same features with other targets and weights (lengths checked), sharing the feature arrays.</summary>
    public TrainingSet WithTargets(float[] targets, float[]? weights)
        => SparseFeatures is { } sparse
            ? new TrainingSet(sparse, targets, weights, TargetWidth)
            : new TrainingSet(Features!, targets, weights, FeatureCount, TargetWidth);

    /// <summary>The rows whose entry in <paramref name="keep"/> is true, in order, copied.</summary>
    public TrainingSet Subset(ReadOnlySpan<bool> keep)
    {
        if (keep.Length != RowCount)
            throw new ArgumentException($"keep has {keep.Length} entries for {RowCount} rows.", nameof(keep));
        var count = 0;
        foreach (var k in keep)
            count += k ? 1 : 0;
        var width = TargetWidth;
        var targets = new float[count * width];
        var weights = Weights is null ? null : new float[count];
        var next = 0;
        for (var r = 0; r < RowCount; r++)
        {
            if (!keep[r])
                continue;
            Targets.AsSpan(r * width, width).CopyTo(targets.AsSpan(next * width));
            if (weights is not null)
                weights[next] = Weights![r];
            next++;
        }
        if (SparseFeatures is { } sparse)
            return new TrainingSet(sparse.Subset(keep), targets, weights, width);
        var features = new float[count * FeatureCount];
        next = 0;
        for (var r = 0; r < RowCount; r++)
            if (keep[r])
                Features.AsSpan(r * FeatureCount, FeatureCount).CopyTo(features.AsSpan(next++ * FeatureCount));
        return new TrainingSet(features, targets, weights, FeatureCount, width);
    }

    private static int RowsOf(float[] targets, int targetWidth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetWidth, 1);
        if (targets.Length % targetWidth != 0)
            throw new ArgumentException($"targets has {targets.Length} values, which is not whole rows of {targetWidth}.");
        return targets.Length / targetWidth;
    }

    private static void CheckWeights(float[]? weights, int rows)
    {
        if (weights is not null && weights.Length != rows)
            throw new ArgumentException($"weights has {weights.Length} values for {rows} rows.");
    }
}
