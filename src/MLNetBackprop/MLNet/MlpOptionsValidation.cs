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
    }

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
