namespace MLNetBackprop.Engine;

/// <summary>
/// Rejects settings and data that would otherwise fail deep inside a kernel or silently train nonsense. Each
/// <see cref="ArgumentException"/> names the offending setting as its parameter name.
/// </summary>
internal static class SettingsValidator
{
    /// <summary>Throws <see cref="ArgumentException"/> describing the first problem found.</summary>
    public static void Validate(TrainingSet data, TrainingSettings settings)
    {
        ValidateShape(settings);
        ValidateOptimization(settings);
        ValidateData(data, settings);
    }

    private static void ValidateShape(TrainingSettings s)
    {
        if (s.HiddenLayerSizes is null)
            throw Bad(nameof(s.HiddenLayerSizes), "must not be null (use an empty array for a linear model)");
        foreach (var size in s.HiddenLayerSizes)
            if (size < 1)
                throw Bad(nameof(s.HiddenLayerSizes), $"contains {size}; every hidden layer needs at least 1 unit");
        CheckDefined(s.HiddenActivation, nameof(s.HiddenActivation));
        CheckDefined(s.Loss, nameof(s.Loss));
        CheckDefined(s.Optimizer, nameof(s.Optimizer));
        if (s.OutputCount < 1)
            throw Bad(nameof(s.OutputCount), $"is {s.OutputCount}; it must be at least 1");
        if (s.Loss != LossKind.SoftmaxCrossEntropy && s.OutputCount != 1)
            throw Bad(nameof(s.OutputCount), $"is {s.OutputCount}, but the {s.Loss} loss takes one output per row");
        if (s.Loss == LossKind.Huber && !(float.IsFinite(s.HuberDelta) && s.HuberDelta > 0))
            throw Bad(nameof(s.HuberDelta), $"is {s.HuberDelta}; it must be a positive finite number");
    }

    private static void ValidateOptimization(TrainingSettings s)
    {
        if (!(float.IsFinite(s.LearningRate) && s.LearningRate > 0))
            throw Bad(nameof(s.LearningRate), $"is {s.LearningRate}; it must be a positive finite number");
        if (s.Optimizer == OptimizerKind.Sgd)
            CheckUnitInterval(s.Momentum, nameof(s.Momentum));
        if (s.Optimizer == OptimizerKind.Adam)
        {
            CheckUnitInterval(s.Beta1, nameof(s.Beta1));
            CheckUnitInterval(s.Beta2, nameof(s.Beta2));
            if (!(float.IsFinite(s.Epsilon) && s.Epsilon > 0))
                throw Bad(nameof(s.Epsilon), $"is {s.Epsilon}; it must be a positive finite number");
        }
        if (!(float.IsFinite(s.L2) && s.L2 >= 0))
            throw Bad(nameof(s.L2), $"is {s.L2}; it must be a non-negative finite number");
        if (s.BatchSize < 1)
            throw Bad(nameof(s.BatchSize), $"is {s.BatchSize}; it must be at least 1");
        if (s.MaxEpochs < 1)
            throw Bad(nameof(s.MaxEpochs), $"is {s.MaxEpochs}; it must be at least 1");
        if (!(float.IsFinite(s.Tolerance) && s.Tolerance >= 0))
            throw Bad(nameof(s.Tolerance), $"is {s.Tolerance}; it must be a non-negative finite number (0 disables the rule)");
        if (s.EpochsWithoutImprovement < 1)
            throw Bad(nameof(s.EpochsWithoutImprovement), $"is {s.EpochsWithoutImprovement}; it must be at least 1");
    }

    private static void ValidateData(TrainingSet data, TrainingSettings s)
    {
        if (data.RowCount == 0)
            throw new ArgumentException("The training set has no rows.", nameof(data));
        var features = data.Features;
        for (var i = 0; i < features.Length; i++)
            if (!float.IsFinite(features[i]))
                throw new ArgumentException($"Feature {i % data.FeatureCount} of row {i / data.FeatureCount} is {features[i]}; features must be finite.", nameof(data));
        for (var r = 0; r < data.RowCount; r++)
            CheckTarget(data.Targets[r], r, s);
        if (data.Weights is { } weights)
        {
            double sum = 0;
            for (var r = 0; r < weights.Length; r++)
            {
                if (!(float.IsFinite(weights[r]) && weights[r] >= 0))
                    throw new ArgumentException($"The weight of row {r} is {weights[r]}; weights must be finite and non-negative.", nameof(data));
                sum += weights[r];
            }
            if (!(sum > 0))
                throw new ArgumentException("All example weights are zero; nothing can be learned.", nameof(data));
        }
    }

    private static void CheckTarget(float target, int row, TrainingSettings s)
    {
        var ok = s.Loss switch
        {
            LossKind.SoftmaxCrossEntropy => target >= 0 && target < s.OutputCount && target == MathF.Floor(target),
            // Soft labels in [0, 1] are valid for binary cross-entropy.
            LossKind.Logistic => target is >= 0 and <= 1,
            _ => float.IsFinite(target),
        };
        if (!ok)
        {
            var expected = s.Loss switch
            {
                LossKind.SoftmaxCrossEntropy => $"a class index from 0 to {s.OutputCount - 1}",
                LossKind.Logistic => "a label between 0 and 1",
                _ => "a finite number",
            };
            throw new ArgumentException($"The target of row {row} is {target}; the {s.Loss} loss needs {expected}.", "data");
        }
    }

    private static void CheckUnitInterval(float value, string name)
    {
        if (!(value >= 0 && value < 1))
            throw Bad(name, $"is {value}; it must be in [0, 1)");
    }

    private static void CheckDefined<T>(T value, string name) where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw Bad(name, $"is {value}, which is not a known {typeof(T).Name}");
    }

    private static ArgumentException Bad(string setting, string problem)
        => new($"TrainingSettings.{setting} {problem}.", setting);
}
