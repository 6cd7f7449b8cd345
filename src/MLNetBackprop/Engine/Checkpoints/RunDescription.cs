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
        var items = typeof(TrainingSettings).GetProperties()
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={Format(p.GetValue(settings))}")
            .ToList();
        items.Add($"rows={data.RowCount}x{data.FeatureCount}");
        // How rows are mixed decides the batches: a stream through a smaller buffer draws them differently, and keeps
        // no row order for the checkpoint to restore.
        // A rank's share is mixed through a buffer of its own, whose size as asked is the same on every rank.
        items.Add($"mixing={data switch
        {
            RankRows { Local: StreamedRowSource share } => $"each rank's rows through a buffer of {share.ShuffleBufferRowsAsked} rows",
            StreamedRowSource { HoldsEveryRow: false } stream => $"a buffer of {stream.ShuffleBufferRows} rows",
            _ => "every row",
        }}");
        items.Add($"data={data.Fingerprint:x16}");
        items.Add($"validation={(run.Validation is { } validation ? validation.Fingerprint.ToString("x16", CultureInfo.InvariantCulture) : "none")}");
        items.Add($"warm start={(run.InitialParameters is { } p ? CheckpointStore.HashData(new TrainingSet(p, new float[p.Length], null, 1)).ToString("x16", CultureInfo.InvariantCulture) : "none")}");
        return string.Join("; ", items);
    }

}
