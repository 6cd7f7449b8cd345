using MLNetBackprop.Engine.Optimizers;


namespace MLNetBackprop;

public abstract partial class MlpOptionsBase
{
    /// <summary>
    /// Checks every option once, up front, and throws an <see cref="ArgumentException"/> that names the option,
    /// its value and its valid range.
    /// </summary>
    internal virtual void Validate()
    {
        RequireName(LabelColumnName, nameof(LabelColumnName));
        RequireName(FeatureColumnName, nameof(FeatureColumnName));
        if (ExampleWeightColumnName is not null)
            RequireName(ExampleWeightColumnName, nameof(ExampleWeightColumnName));
        if (HiddenLayerSizes is null)
            throw Invalid(nameof(HiddenLayerSizes), "null", "an array of layer widths, each at least 1 (empty for a linear model)");
        for (var i = 0; i < HiddenLayerSizes.Length; i++)
            if (HiddenLayerSizes[i] < 1 || HiddenLayerSizes[i] > MaxLayerWidth)
                throw Invalid($"{nameof(HiddenLayerSizes)}[{i}]", HiddenLayerSizes[i], $"[1, {MaxLayerWidth}]");
        RequireDefined(Activation, nameof(Activation));
        RequireDefined(Optimizer, nameof(Optimizer));
        RequireRange(LearningRate, nameof(LearningRate), 0, false, 10, true, "(0, 10]");
        RequireRange(Momentum, nameof(Momentum), 0, true, 1, false, "[0, 1)");
        RequireRange(Beta1, nameof(Beta1), 0, true, 1, false, "[0, 1)");
        RequireRange(Beta2, nameof(Beta2), 0, true, 1, false, "[0, 1)");
        RequireRange(Epsilon, nameof(Epsilon), 0, false, 1, false, "(0, 1)");
        RequireRange(L2Regularization, nameof(L2Regularization), 0, true, 1e3, true, "[0, 1000]");
        if (BatchSize < 1)
            throw Invalid(nameof(BatchSize), BatchSize, "at least 1");
        if (NumberOfEpochs is < 1 or > MaxEpochs)
            throw Invalid(nameof(NumberOfEpochs), NumberOfEpochs, $"[1, {MaxEpochs}], or null for automatic");
        RequireRange(Tolerance, nameof(Tolerance), 0, true, double.PositiveInfinity, false, "[0, ∞)");
        if (EpochsWithoutImprovement < 1)
            throw Invalid(nameof(EpochsWithoutImprovement), EpochsWithoutImprovement, "at least 1");
        ValidateTrainingExtras();
    }

    void ValidateTrainingExtras()
    {
        RequireRange(RmsPropDecay, nameof(RmsPropDecay), 0, true, 1, false, "[0, 1)");
        if (WeightDecay is { } decay)
        {
            RequireRange(decay, nameof(WeightDecay), 0, true, 1, true, "[0, 1], or null for automatic");
            if (decay * LearningRate >= 1)
                throw Invalid(nameof(WeightDecay), decay, $"below 1 / LearningRate = {1 / LearningRate:G4} (each step multiplies the weights by 1 − LearningRate·WeightDecay)");
        }
        RequireRange(GradientClipNorm, nameof(GradientClipNorm), 0, true, 1e6, true, "[0, 1000000]");
        if (DropoutRates is null)
            throw Invalid(nameof(DropoutRates), "null", "an array of probabilities in [0, 1) (empty for no dropout)");
        for (var i = 0; i < DropoutRates.Length; i++)
            RequireRange(DropoutRates[i], $"{nameof(DropoutRates)}[{i}]", 0, true, 1, false, "[0, 1)");
        if (HiddenLayerSizes is not null && DropoutRates.Length > 1 && DropoutRates.Length != HiddenLayerSizes.Length)
            throw Invalid(nameof(DropoutRates), $"{DropoutRates.Length} rates", $"0, 1 or {HiddenLayerSizes.Length} rates (one per hidden layer)");
        RequireDefined(LearningRateSchedule, nameof(LearningRateSchedule));
        RequireRange(InverseScalingPower, nameof(InverseScalingPower), 0, true, 10, true, "[0, 10]");
        RequireRange(LearningRateDecayFactor, nameof(LearningRateDecayFactor), 0, false, 1, false, "(0, 1)");
        if (LearningRateStepEpochs < 1)
            throw Invalid(nameof(LearningRateStepEpochs), LearningRateStepEpochs, "at least 1");
        if (PlateauPatience < 1)
            throw Invalid(nameof(PlateauPatience), PlateauPatience, "at least 1");
        RequireRange(MinimumLearningRate, nameof(MinimumLearningRate), 0, true, LearningRate, true, "[0, LearningRate]");
        if (WarmupEpochs is < 0 or > MaxEpochs)
            throw Invalid(nameof(WarmupEpochs), WarmupEpochs, $"[0, {MaxEpochs}]");
        RequireRange(ValidationFraction, nameof(ValidationFraction), 0, true, 0.9, true, "[0, 0.9]");
        RequireDefined(EarlyStoppingMetric, nameof(EarlyStoppingMetric));
        if (LbfgsHistorySize is < 1 or > 1000)
            throw Invalid(nameof(LbfgsHistorySize), LbfgsHistorySize, "[1, 1000]");
        if (CheckpointPath is not null && string.IsNullOrWhiteSpace(CheckpointPath))
            throw Invalid(nameof(CheckpointPath), CheckpointPath, "a file path, or null for no checkpoints");
        if (CheckpointEveryEpochs is < 1 or > MaxEpochs)
            throw Invalid(nameof(CheckpointEveryEpochs), CheckpointEveryEpochs, $"[1, {MaxEpochs}]");
        if (Optimizer == MlpOptimizer.Lbfgs)
        {
            // L-BFGS's line search needs one deterministic objective and chooses its own step lengths.
            if (DropoutRates.Any(r => r > 0))
                throw Invalid(nameof(DropoutRates), "non-zero", "empty or zero with Optimizer Lbfgs (its line search needs a deterministic objective)");
            if (LearningRateSchedule != MlpLearningRateSchedule.Constant || WarmupEpochs != 0)
                throw Invalid(nameof(LearningRateSchedule), LearningRateSchedule, "Constant without WarmupEpochs with Optimizer Lbfgs (it chooses its own step lengths)");
            if (GradientClipNorm != 0)
                throw Invalid(nameof(GradientClipNorm), GradientClipNorm, "0 with Optimizer Lbfgs");
            if (WeightDecay is > 0)
                throw Invalid(nameof(WeightDecay), WeightDecay, "0 or null with Optimizer Lbfgs (use L2Regularization)");
        }
    }

    /// <summary>The decoupled weight decay in effect: the option, or 0.01 for AdamW and 0 otherwise.</summary>
    internal float ResolveWeightDecay() => WeightDecay ?? (Optimizer == MlpOptimizer.AdamW ? 0.01f : 0f);

    const int MaxLayerWidth = 1 << 20;
    const int MaxEpochs = 1_000_000;

    private protected static ArgumentException Invalid(string option, object value, string validRange)
        => new($"Option {option} is {FormatValue(value)}; it must be {(validRange.StartsWith('[') || validRange.StartsWith('(') ? "in " : "")}{validRange}.", option);

    private protected static void RequireRange(float value, string option, double low, bool lowInclusive,
        double high, bool highInclusive, string range)
    {
        var aboveLow = lowInclusive ? value >= low : value > low;
        var belowHigh = highInclusive ? value <= high : value < high;
        if (!float.IsFinite(value) || !aboveLow || !belowHigh)
            throw Invalid(option, value, range);
    }

    private protected static void RequireDefined<TEnum>(TEnum value, string option) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw Invalid(option, value, $"one of {string.Join(", ", Enum.GetNames<TEnum>())}");
    }

    static void RequireName(string? name, string option)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw Invalid(option, name ?? "null", "the name of a column in the training data");
    }

    static string FormatValue(object value) => value switch
    {
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        string s when s != "null" => $"'{s}'",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    };
}
