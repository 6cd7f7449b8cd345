using System.Globalization;
using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.RowSources;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Engine.Checkpoints;

/// <summary>The identity of a training run, as text: one "name=value" item per fact, separated by "; ".</summary>
internal static class RunDescription
{
    /// <summary>
    /// Every setting, the data's shape, how its rows are mixed, a hash of its contents and of the validation rows, and
    /// the warm start: what must match for a checkpoint to be resumed, and across the ranks of a job.
    /// </summary>
    public static string Of(IRowSource data, TrainingSettings settings, TrainingRunOptions run)
    {
        static string Format(object? value) => value switch
        {
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            Array a => "[" + string.Join(",", a.Cast<object>().Select(Format)) + "]",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
        };
        // Settings added since checkpoints were first written are left out at their defaults, so that those files still
        // describe the runs that wrote them.
        var items = typeof(TrainingSettings).GetProperties()
            .Where(p => !(p.Name == nameof(TrainingSettings.GradientShards) && settings.GradientShards == 1))
            .Where(p => !(p.Name == nameof(TrainingSettings.SumShardsInOrder) && settings.SumShardsInOrder))
            .Where(p => !(p.Name == nameof(TrainingSettings.InputScaling) && settings.InputScaling == InputScalingKind.None))
            .Where(p => !(p.Name == nameof(TrainingSettings.NumericEncodingBins) && settings.NumericEncodingBins == 0))
            .Where(p => !(p.Name == nameof(TrainingSettings.NumericEncodingInputLimit) && settings.NumericEncodingInputLimit == int.MaxValue))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={Format(p.GetValue(settings))}")
            .ToList();
        items.Add($"rows={data.RowCount}x{data.FeatureCount}");
        // How rows are mixed decides the batches: a stream through a smaller buffer draws them differently, and keeps
        // no row order for the checkpoint to restore.
        // Each rank mixes its share itself, in memory or streamed as it chose (ranks given their own rows of different
        // sizes may choose differently), so the description names neither.
        items.Add($"mixing={data switch
        {
            RankRows => "each rank its own rows",
            StreamedRowSource { HoldsEveryRow: false } stream => $"a buffer of {stream.ShuffleBufferRows} rows",
            _ => "every row",
        }}");
        items.Add($"data={data.Fingerprint:x16}");
        items.Add($"validation={(run.Validation is { } validation ? validation.Fingerprint.ToString("x16", CultureInfo.InvariantCulture) : "none")}");
        items.Add($"warm start={(run.InitialParameters is { } p ? CheckpointStore.HashData(new TrainingSet(p, new float[p.Length], null, 1)).ToString("x16", CultureInfo.InvariantCulture) : "none")}");
        return string.Join("; ", items);
    }

}
