using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Cli;

/// <summary>
/// Turns the user's label column into what each trainer reads as "Label": a bool (binary), a key (multiclass)
/// or a float (regression), choosing the task from the label's values when it is not given.
/// </summary>
internal static class LabelPreparation
{
    private static readonly string[] PositiveWords = ["1", "true", "yes", "y", "positive", "pos"];

    /// <summary>The task named by <paramref name="requested"/>, or the one the label's values suggest.</summary>
    public static TaskKind ChooseTask(TaskKind? requested, bool labelIsNumeric, IReadOnlyCollection<string> distinctValues)
    {
        if (requested is { } task)
        {
            if (task == TaskKind.Regression && !labelIsNumeric)
                throw new CliException("regression needs a numeric label column; use --task binary or --task multiclass");
            if (task == TaskKind.Binary && distinctValues.Count != 2)
                throw new CliException($"binary classification needs exactly 2 label values, the label has {distinctValues.Count}; use --task multiclass");
            return task;
        }
        if (distinctValues.Count == 2)
            return TaskKind.Binary;
        return labelIsNumeric ? TaskKind.Regression : TaskKind.Multiclass;
    }

    /// <summary>The value mapped to true for binary classification: a "positive-sounding" one if any, else the later in order.</summary>
    public static string PositiveValue(IReadOnlyCollection<string> values)
    {
        var ordered = values.OrderBy(v => v, StringComparer.Ordinal).ToArray();
        return ordered.FirstOrDefault(v => PositiveWords.Contains(v.ToLowerInvariant())) ?? ordered[^1];
    }

    /// <summary>The transform that writes the "Label" column the trainer reads.</summary>
    public static IEstimator<ITransformer> Estimator(MLContext ml, TaskKind task, string labelColumn, IReadOnlyCollection<string> values) => task switch
    {
        TaskKind.Binary => ml.Transforms.Conversion.MapValue("Label",
            values.Select(v => new KeyValuePair<string, bool>(v, v == PositiveValue(values))), labelColumn),
        TaskKind.Multiclass => ml.Transforms.Conversion.MapValueToKey("Label", labelColumn),
        _ => ml.Transforms.CopyColumns("Label", labelColumn),
    };

    /// <summary>The label's column type when loading: text for classification, a float for regression.</summary>
    public static DataKind LoadKind(TaskKind task) => task == TaskKind.Regression ? DataKind.Single : DataKind.String;

    /// <summary>The distinct non-empty label values, as text.</summary>
    public static IReadOnlyCollection<string> DistinctValues(MLContext ml, CsvTable table, string labelColumn)
    {
        var labels = table.Load(ml, [(labelColumn, DataKind.String)]);
        return labels.GetColumn<ReadOnlyMemory<char>>(labelColumn)
            .Select(v => v.ToString().Trim())
            .Where(v => v.Length > 0)
            .ToHashSet(StringComparer.Ordinal);
    }
}
