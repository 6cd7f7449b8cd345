namespace MLNetBackprop.Cli;

/// <summary>The command-line flag of each trainer option the tool sets, so that the trainer's errors name the flag.</summary>
internal static class TrainerFlags
{
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        [nameof(MlpOptionsBase.HiddenLayerSizes)] = "--hidden",
        [nameof(MlpOptionsBase.NumberOfEpochs)] = "--epochs",
        [nameof(MlpOptionsBase.LearningRate)] = "--learning-rate",
        [nameof(MlpOptionsBase.BatchSize)] = "--batch-size",
        [nameof(MlpOptionsBase.ValidationFraction)] = "--validation-fraction",
        [nameof(MlpOptionsBase.TrainOnHeldOutRows)] = "--train-on-held-out-rows",
        [nameof(MlpOptionsBase.Tolerance)] = "--tolerance",
        [nameof(MlpOptionsBase.CheckpointEveryEpochs)] = "--checkpoint-every",
        [nameof(MlpOptionsBase.GradientShards)] = "--gradient-shards",
    };

    /// <summary>The flag of option <paramref name="parameter"/> (e.g. <c>HiddenLayerSizes[0]</c>), or null.</summary>
    public static string? FlagOf(string? parameter) =>
        parameter is null ? null : Flags.GetValueOrDefault(parameter.Split('[')[0]);

    /// <summary>The trainer's message about <paramref name="parameter"/>, naming <paramref name="flag"/> instead.</summary>
    public static string Reword(string message, string parameter, string flag)
    {
        var text = message.Split(" (Parameter '")[0].Replace($"Option {parameter}", flag, StringComparison.Ordinal);
        return parameter.Contains('[') ? $"{text} ({flag} takes layer sizes, e.g. 128,64)" : text;
    }
}
