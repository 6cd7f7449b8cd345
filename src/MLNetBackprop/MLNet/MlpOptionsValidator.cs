using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.MLNet;

/// <summary>
/// The one place where option rules are checked: once, up front, when a trainer is created. Each
/// <see cref="ArgumentException"/> names the option, its value and its valid range. The engine re-checks only what
/// the options cannot express (the data, and the shapes its kernels rely on).
/// </summary>
internal static class MlpOptionsValidator
{
    /// <summary>Throws an <see cref="ArgumentException"/> for the first invalid option of <paramref name="options"/>.</summary>
    public static void Validate(MlpOptionsBase options)
    {
        ValidateShared(options);
        ValidateTrainingExtras(options);
        switch (options)
        {
            case MlpClassificationOptionsBase classification:
                ValidateClassification(classification);
                break;
            case MlpRegressionTrainer.Options regression:
                ValidateRegression(regression);
                break;
        }
    }

    private static void ValidateShared(MlpOptionsBase o)
    {
        RequireName(o.LabelColumnName, nameof(o.LabelColumnName));
        RequireName(o.FeatureColumnName, nameof(o.FeatureColumnName));
        if (o.ExampleWeightColumnName is not null)
            RequireName(o.ExampleWeightColumnName, nameof(o.ExampleWeightColumnName));
        if (o.HiddenLayerSizes is { } sizes)
            for (var i = 0; i < sizes.Length; i++)
                if (sizes[i] < 1 || sizes[i] > MaxLayerWidth)
                    throw Invalid($"{nameof(o.HiddenLayerSizes)}[{i}]", sizes[i], $"[1, {MaxLayerWidth}]");
        RequireDefined(o.Activation, nameof(o.Activation));
        RequireDefined(o.Optimizer, nameof(o.Optimizer));
        RequireDefined(o.Preset, nameof(o.Preset));
        if (o.InputScaling is { } scaling)
            RequireDefined(scaling, nameof(o.InputScaling));
        if (o.NumericEncoding is { } encoding)
            RequireDefined(encoding, nameof(o.NumericEncoding));
        RequireRange(o.NumericEncodingBins, nameof(o.NumericEncodingBins), 2, true, TrainingSettings.MaxNumericEncodingBins, true, $"2 to {TrainingSettings.MaxNumericEncodingBins}");
        if (o.LearningRate is { } rate)
            RequireRange(rate, nameof(o.LearningRate), 0, false, 10, true, "(0, 10], or null for automatic");
        RequireRange(o.Momentum, nameof(o.Momentum), 0, true, 1, false, "[0, 1)");
        RequireRange(o.Beta1, nameof(o.Beta1), 0, true, 1, false, "[0, 1)");
        RequireRange(o.Beta2, nameof(o.Beta2), 0, true, 1, false, "[0, 1)");
        RequireRange(o.Epsilon, nameof(o.Epsilon), 0, false, 1, false, "(0, 1)");
        RequireRange(o.L2Regularization, nameof(o.L2Regularization), 0, true, 1e3, true, "[0, 1000]");
        if (o.BatchSize < 1)
            throw Invalid(nameof(o.BatchSize), o.BatchSize, "at least 1");
        if (o.NumberOfEpochs is < 1 or > MaxEpochs)
            throw Invalid(nameof(o.NumberOfEpochs), o.NumberOfEpochs, $"[1, {MaxEpochs}], or null for automatic");
        RequireRange(o.Tolerance, nameof(o.Tolerance), 0, true, double.PositiveInfinity, false, "[0, ∞)");
        if (o.EpochsWithoutImprovement < 1)
            throw Invalid(nameof(o.EpochsWithoutImprovement), o.EpochsWithoutImprovement, "at least 1, or null for automatic");
    }

    private static void ValidateTrainingExtras(MlpOptionsBase o)
    {
        RequireRange(o.RmsPropDecay, nameof(o.RmsPropDecay), 0, true, 1, false, "[0, 1)");
        if (o.WeightDecay is { } decay)
        {
            RequireRange(decay, nameof(o.WeightDecay), 0, true, 1, true, "[0, 1], or null for automatic");
            // The automatic rate can be either value, so the decay must suit the larger.
            var rate = o.LearningRate ?? Math.Max(MlpOptionsBase.Defaults.LearningRate, MlpOptionsBase.Defaults.SparseLearningRate);
            if (decay * rate >= 1)
                throw Invalid(nameof(o.WeightDecay), decay, $"below 1 / LearningRate = {1 / rate:G4} (each step multiplies the weights by 1 − LearningRate·WeightDecay)");
        }
        RequireRange(o.GradientClipNorm, nameof(o.GradientClipNorm), 0, true, 1e6, true, "[0, 1000000]");
        if (o.DropoutRates is null)
            throw Invalid(nameof(o.DropoutRates), "null", "an array of probabilities in [0, 1) (empty for no dropout)");
        for (var i = 0; i < o.DropoutRates.Length; i++)
            RequireRange(o.DropoutRates[i], $"{nameof(o.DropoutRates)}[{i}]", 0, true, 1, false, "[0, 1)");
        // With automatic hidden layers (one layer, or a warm start's) the engine checks the count against what is used.
        if (o.HiddenLayerSizes is { } sizes && o.DropoutRates.Length > 1 && o.DropoutRates.Length != sizes.Length)
            throw Invalid(nameof(o.DropoutRates), $"{o.DropoutRates.Length} rates", $"0, 1 or {sizes.Length} rates (one per hidden layer)");
        RequireDefined(o.LearningRateSchedule, nameof(o.LearningRateSchedule));
        RequireRange(o.InverseScalingPower, nameof(o.InverseScalingPower), 0, true, 10, true, "[0, 10]");
        RequireRange(o.LearningRateDecayFactor, nameof(o.LearningRateDecayFactor), 0, false, 1, false, "(0, 1)");
        if (o.LearningRateStepEpochs < 1)
            throw Invalid(nameof(o.LearningRateStepEpochs), o.LearningRateStepEpochs, "at least 1");
        if (o.PlateauPatience < 1)
            throw Invalid(nameof(o.PlateauPatience), o.PlateauPatience, "at least 1");
        // The automatic rate can be either value, so the floor must suit the smaller.
        var smallestRate = o.LearningRate ?? Math.Min(MlpOptionsBase.Defaults.LearningRate, MlpOptionsBase.Defaults.SparseLearningRate);
        RequireRange(o.MinimumLearningRate, nameof(o.MinimumLearningRate), 0, true, smallestRate, true,
            o.LearningRate is null ? $"[0, {smallestRate}] (the smaller automatic LearningRate)" : "[0, LearningRate]");
        if (o.WarmupEpochs is < 0 or > MaxEpochs)
            throw Invalid(nameof(o.WarmupEpochs), o.WarmupEpochs, $"[0, {MaxEpochs}]");
        if (o.ValidationFraction is { } fraction)
            RequireRange(fraction, nameof(o.ValidationFraction), 0, true, 0.9, true, "[0, 0.9], or null for automatic");
        RequireDefined(o.SparseUpdate, nameof(o.SparseUpdate));
        RequireDefined(o.DataLoading, nameof(o.DataLoading));
        RequireDefined(o.EarlyStoppingMetric, nameof(o.EarlyStoppingMetric));
        if (o.LbfgsHistorySize is < 1 or > 1000)
            throw Invalid(nameof(o.LbfgsHistorySize), o.LbfgsHistorySize, "[1, 1000]");
        if (o.CheckpointPath is not null && string.IsNullOrWhiteSpace(o.CheckpointPath))
            throw Invalid(nameof(o.CheckpointPath), o.CheckpointPath, "a file path, or null for no checkpoints");
        // A buffer smaller than a batch would silently shrink every batch to the buffer.
        if (o.ShuffleBufferSize is { } buffer && buffer < Math.Max(1, o.BatchSize))
            throw Invalid(nameof(o.ShuffleBufferSize), buffer, $"at least BatchSize ({o.BatchSize}), or null for automatic");
        ValidateCluster(o);
        ValidateTrainOnHeldOutRows(o);
        if (o.CheckpointEveryEpochs is < 1 or > MaxEpochs)
            throw Invalid(nameof(o.CheckpointEveryEpochs), o.CheckpointEveryEpochs, $"[1, {MaxEpochs}]");
        if (o.Optimizer == MlpOptimizer.Lbfgs)
        {
            // L-BFGS's line search needs one deterministic objective and chooses its own step lengths.
            if (o.DropoutRates.Any(r => r > 0))
                throw Invalid(nameof(o.DropoutRates), "non-zero", "empty or zero with Optimizer Lbfgs (its line search needs a deterministic objective)");
            if (o.LearningRateSchedule != MlpLearningRateSchedule.Constant || o.WarmupEpochs != 0)
                throw Invalid(nameof(o.LearningRateSchedule), o.LearningRateSchedule, "Constant without WarmupEpochs with Optimizer Lbfgs (it chooses its own step lengths)");
            if (o.GradientClipNorm != 0)
                throw Invalid(nameof(o.GradientClipNorm), o.GradientClipNorm, "0 with Optimizer Lbfgs");
            if (o.WeightDecay is > 0)
                throw Invalid(nameof(o.WeightDecay), o.WeightDecay, "0 or null with Optimizer Lbfgs (use L2Regularization)");
        }
    }

    private static void ValidateClassification(MlpClassificationOptionsBase o)
    {
        RequireDefined(o.ClassWeighting, nameof(o.ClassWeighting));
        if (o.ClassWeights is null)
            return;
        if (o.ClassWeighting != MlpClassWeighting.None)
            throw Invalid(nameof(o.ClassWeights), "set", $"null when ClassWeighting is {o.ClassWeighting}; use one or the other");
        for (var i = 0; i < o.ClassWeights.Length; i++)
            RequireRange(o.ClassWeights[i], $"{nameof(o.ClassWeights)}[{i}]", 0, true, 1e6, true, "[0, 1000000]");
        if (o.ClassWeights.Length < 2 || o.ClassWeights.All(w => w == 0))
            throw Invalid(nameof(o.ClassWeights), $"{o.ClassWeights.Length} weights", "one weight per class (at least 2), not all zero");
    }

    private static void ValidateRegression(MlpRegressionTrainer.Options o)
    {
        RequireDefined(o.Loss, nameof(o.Loss));
        RequireRange(o.HuberDelta, nameof(o.HuberDelta), 0, false, 1e6, true, "(0, 1000000]");
        if (o.EarlyStoppingMetric == MlpEarlyStoppingMetric.Accuracy)
            throw Invalid(nameof(o.EarlyStoppingMetric), o.EarlyStoppingMetric, "Loss for regression (Accuracy is for classification)");
    }

    private const int MaxLayerWidth = 1 << 20;
    private const int MaxEpochs = 1_000_000;

    // The shards must divide among the ranks; a rank's streamed share, or its own view's rows, is one shard.
    // What can be known before the data is seen; RowLoader refuses streamed rows that Auto chose.
    private static void ValidateTrainOnHeldOutRows(MlpOptionsBase o)
    {
        if (o.TrainOnHeldOutRows != true)
            return;
        if (o.Cluster is { Size: > 1 })
            throw new ArgumentException("Option TrainOnHeldOutRows is true, but a Cluster of several processes trains without the second phase on all rows: " +
                "leave TrainOnHeldOutRows null or false.", nameof(o.TrainOnHeldOutRows));
        if (o.DataLoading == MlpDataLoading.Streaming)
            throw new ArgumentException("Option TrainOnHeldOutRows is true, which needs the rows in memory, but DataLoading is Streaming: " +
                "set DataLoading to InMemory or Auto, or leave TrainOnHeldOutRows null.", nameof(o.TrainOnHeldOutRows));
        if (o.Optimizer == MlpOptimizer.Lbfgs)
            throw new ArgumentException("Option TrainOnHeldOutRows is true, but Optimizer Lbfgs takes no mini-batch steps, which the phase on all rows " +
                "continues with: leave TrainOnHeldOutRows null or choose another optimizer.", nameof(o.TrainOnHeldOutRows));
        if (o.ValidationFraction == 0)
            throw new ArgumentException("Option TrainOnHeldOutRows is true, but ValidationFraction is 0, so no rows are held out to train on: " +
                "leave ValidationFraction null or set it above 0.", nameof(o.TrainOnHeldOutRows));
    }

    private static void ValidateCluster(MlpOptionsBase o)
    {
        RequireDefined(o.ClusterData, nameof(o.ClusterData));
        if (o.ClusterData == MlpClusterData.ViewPerRank && o.Cluster is null)
            throw new ArgumentException("Option ClusterData is ViewPerRank, which needs a Cluster: set Cluster (e.g. MpiCluster.Start()) or use SameView.", nameof(o.ClusterData));
        if (o.ClusterData == MlpClusterData.ViewPerRank && o.Cluster is { Size: > 1 } own && o.ResolveGradientShards() != own.Size)
            throw Invalid(nameof(o.GradientShards), o.ResolveGradientShards(), $"the cluster's size ({own.Size}) or null with ClusterData ViewPerRank: each rank's own rows are one shard");
        if (o.GradientShards is { } shards && shards is < 1 or > 1024)
            throw Invalid(nameof(o.GradientShards), shards, "[1, 1024], or null for one per rank");
        if (o.Cluster is { } cluster && o.ResolveGradientShards() % cluster.Size != 0)
            throw Invalid(nameof(o.GradientShards), o.ResolveGradientShards(), $"a multiple of the cluster's size ({cluster.Size})");
        var ranks = o.Cluster?.Size ?? 1;
        if (o.DataLoading == MlpDataLoading.Streaming && o.ResolveGradientShards() != ranks)
            throw Invalid(nameof(o.GradientShards), o.ResolveGradientShards(),
                $"the number of ranks ({ranks}) or null when streaming: each rank streams its own share of the rows as one shard");
    }

    private static ArgumentException Invalid(string option, object value, string validRange)
        => new($"Option {option} is {FormatValue(value)}; it must be {(validRange.StartsWith('[') || validRange.StartsWith('(') ? "in " : "")}{validRange}.", option);

    private static void RequireRange(float value, string option, double low, bool lowInclusive,
        double high, bool highInclusive, string range)
    {
        var aboveLow = lowInclusive ? value >= low : value > low;
        var belowHigh = highInclusive ? value <= high : value < high;
        if (!float.IsFinite(value) || !aboveLow || !belowHigh)
            throw Invalid(option, value, range);
    }

    private static void RequireDefined<TEnum>(TEnum value, string option) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw Invalid(option, value, $"one of {string.Join(", ", Enum.GetNames<TEnum>())}");
    }

    private static void RequireName(string? name, string option)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw Invalid(option, name ?? "null", "the name of a column in the training data");
    }

    private static string FormatValue(object value) => value switch
    {
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        string s when s != "null" => $"'{s}'",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    };
}
