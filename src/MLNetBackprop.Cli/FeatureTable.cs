using Microsoft.ML;

namespace MLNetBackprop.Cli;

/// <summary>
/// The rows of a file as the model reads them, following a <see cref="ModelPlan"/>: numbers (missing ones NaN, which the
/// model imputes), a date's parts, text as is; and the label typed for its task (bool, text, or float).
/// </summary>
internal static class FeatureTable
{
    /// <summary>The label's name in the view: not the user's, which may be one the trainer writes (such as Score).</summary>
    public const string LabelColumn = "__label";

    /// <summary>
    /// The view of <paramref name="rows"/>; <paramref name="unknownCategories"/> counts, per categorical column, the values
    /// the plan's training rows never had (they one-hot encode to zeros).
    /// </summary>
    public static IDataView Build(CsvFile file, ModelPlan plan, int[] rows, bool withLabel, out Dictionary<string, int> unknownCategories)
    {
        var columns = new List<(string, Array)>();
        unknownCategories = [];
        foreach (var column in plan.Columns)
        {
            if (!column.IsFeature && !(withLabel && column.Use == ColumnUse.Label))
                continue;
            var index = file.IndexOf(column.Name);
            var cells = rows.Select(r => file.Rows[r][index]).ToArray();
            switch (column.Use)
            {
                case ColumnUse.Numeric:
                    columns.Add((column.Name, cells.Select(Number).ToArray()));
                    break;
                case ColumnUse.Date:
                    var dates = cells.Select(c => CellValues.TryDate(c, out var d) ? d : (DateTime?)null).ToArray();
                    for (var p = 0; p < column.DateParts; p++)
                        columns.Add(($"{column.Name}:{CellValues.DateParts[p]}", dates.Select(d => d is { } v ? CellValues.DatePart(v, p) : float.NaN).ToArray()));
                    break;
                case ColumnUse.Categorical:
                    var known = column.Categories!.ToHashSet(StringComparer.Ordinal);
                    var unknown = cells.Count(c => !CellValues.IsMissing(c) && !known.Contains(c));
                    if (unknown > 0)
                        unknownCategories[column.Name] = unknown;
                    columns.Add((column.Name, cells.Select(Text).ToArray()));
                    break;
                case ColumnUse.Text:
                    columns.Add((column.Name, cells.Select(Text).ToArray()));
                    break;
                case ColumnUse.Label:
                    columns.Add((LabelColumn, plan.Task switch
                    {
                        TaskKind.Binary => cells.Select(c => c == plan.Classes[1]).ToArray(),
                        TaskKind.Multiclass => cells.Select(c => c.AsMemory()).ToArray(),
                        _ => (Array)cells.Select(Number).ToArray(),
                    }));
                    break;
            }
        }
        return new TableView(columns, rows.Length);
    }

    private static float Number(string cell) => CellValues.TryNumber(cell, out var x) ? x : float.NaN;

    private static ReadOnlyMemory<char> Text(string cell) => CellValues.IsMissing(cell) ? ReadOnlyMemory<char>.Empty : cell.AsMemory();
}
