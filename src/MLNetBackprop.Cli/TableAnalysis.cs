using System.Globalization;

namespace MLNetBackprop.Cli;

/// <summary>
/// Reads a training file's columns over every row: drops the rows without a label, decides the task and each column's
/// use (<see cref="ColumnUse"/>), and finds the cells that are not numbers in numeric columns.
/// </summary>
/// <param name="Plan">The columns' uses, the task and the classes.</param>
/// <param name="Rows">The indices of the file rows to train on.</param>
/// <param name="RowsWithoutLabel">Rows dropped for a missing label.</param>
/// <param name="RowsWithBadCells">Rows dropped (with --skip-bad-rows) for a cell that is not a number in a numeric column.</param>
/// <param name="TaskNote">Why the task was chosen, when it was inferred in a way worth saying.</param>
internal sealed record TableAnalysis(ModelPlan Plan, int[] Rows, int RowsWithoutLabel, int RowsWithBadCells, string? TaskNote)
{
    public static TableAnalysis Run(CsvFile file, string label, IReadOnlyCollection<string> ignore, TaskKind? requestedTask, bool skipBadRows)
    {
        var labelIndex = file.RequireColumn(label, "label column");
        foreach (var name in ignore)
        {
            file.RequireColumn(name, "--ignore column");
            if (name == label)
                throw new CliException($"--ignore names the label column '{label}'; the label cannot be ignored");
        }
        var labelled = Enumerable.Range(0, file.Rows.Count).Where(r => !CellValues.IsMissing(file.Rows[r][labelIndex])).ToArray();
        if (labelled.Length == 0)
            throw new CliException($"label column '{label}' of '{file.Path}' has no values");
        var labels = labelled.Select(r => file.Rows[r][labelIndex]).ToArray();
        var (task, classes, note) = ChooseTask(label, labels, requestedTask);

        var columns = new ColumnPlan[file.ColumnNames.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            var name = file.ColumnNames[c];
            columns[c] = c == labelIndex ? new ColumnPlan(name, ColumnUse.Label, 0, null, 0, task.ToString().ToLowerInvariant())
                : ignore.Contains(name) ? new ColumnPlan(name, ColumnUse.Ignored, 0, null, 0, "--ignore")
                : Classify(name, labelled.Select(r => file.Rows[r][c]).ToArray());
        }
        var plan = new ModelPlan(label, task, classes, columns);

        var rows = CellChecks.KeepReadableRows(file, labelled, plan, withLabel: true, skipBadRows, out var badRows);
        // Missing counts and categories from the rows kept, so that a file's dirty rows do not change the model.
        for (var c = 0; c < columns.Length; c++)
            if (columns[c].IsFeature)
            {
                var cells = rows.Select(r => file.Rows[r][c]).ToArray();
                var missing = cells.Count(CellValues.IsMissing);
                var categories = columns[c].Use == ColumnUse.Categorical
                    ? cells.Where(v => !CellValues.IsMissing(v)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray()
                    : null;
                columns[c] = columns[c] with { Missing = missing, Categories = categories };
            }
        return new TableAnalysis(plan, rows, file.Rows.Count - labelled.Length, badRows, note);
    }

    private static (TaskKind Task, string[] Classes, string? Note) ChooseTask(string label, string[] values, TaskKind? requested)
    {
        var counts = values.GroupBy(v => v, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var numeric = values.Where(v => CellValues.TryNumber(v, out _)).ToArray();
        var numbers = numeric.Length == values.Length;
        var mostlyNumbers = numeric.Length >= CliDefaults.NumericShare * values.Length;
        var integers = numbers && values.All(v => CellValues.TryNumber(v, out var x) && x == MathF.Round(x));
        if (counts.Count < 2)
            throw new CliException($"label column '{label}' has {counts.Count} distinct value; there is nothing to learn");
        string? note = null;
        var task = requested;
        if (task is null)
        {
            if (counts.Count == 2)
                task = TaskKind.Binary;
            else if (!mostlyNumbers)
                task = TaskKind.Multiclass;
            else if (integers && counts.Count <= CliDefaults.MaxInferredClasses && counts.Values.Min() >= CliDefaults.MinRowsPerInferredClass)
            {
                task = TaskKind.Multiclass;
                note = $"label '{label}' has {counts.Count} integer values, each in at least {CliDefaults.MinRowsPerInferredClass} rows: " +
                    "multiclass classification; pass --task regression to predict it as a number";
            }
            else
                task = TaskKind.Regression;
        }
        // A few cells that are not numbers in a numeric label are reported with their lines by CellChecks.
        if (task == TaskKind.Regression && !mostlyNumbers)
        {
            var bad = values.First(v => !CellValues.TryNumber(v, out _));
            throw new CliException($"regression needs a numeric label, but label column '{label}' holds '{bad}'; " +
                "use --task binary or --task multiclass");
        }
        if (task == TaskKind.Binary && counts.Count != 2)
            throw new CliException($"binary classification needs exactly 2 label values, label '{label}' has {counts.Count}; use --task multiclass");
        string[] classes = task switch
        {
            TaskKind.Binary => BinaryClasses(counts.Keys),
            TaskKind.Multiclass when numbers => [.. counts.Keys.OrderBy(v => float.Parse(v, CultureInfo.InvariantCulture))],
            TaskKind.Multiclass => [.. counts.Keys.Order(StringComparer.Ordinal)],
            _ => [],
        };
        return (task.Value, classes, note);
    }

    private static readonly string[] PositiveWords = ["1", "true", "yes", "y", "positive", "pos"];

    /// <summary>The negative class, then the positive: a "positive-sounding" value if any, else the later in order.</summary>
    private static string[] BinaryClasses(IEnumerable<string> values)
    {
        var ordered = values.Order(StringComparer.Ordinal).ToArray();
        var positive = ordered.FirstOrDefault(v => PositiveWords.Contains(v.ToLowerInvariant())) ?? ordered[^1];
        return [ordered.First(v => v != positive), positive];
    }

    private static ColumnPlan Classify(string name, string[] cells)
    {
        var values = cells.Where(v => !CellValues.IsMissing(v)).ToArray();
        var missing = cells.Length - values.Length;
        var distinct = values.Distinct(StringComparer.Ordinal).Count();
        if (distinct <= 1)
            return new ColumnPlan(name, ColumnUse.Constant, missing, null, 0,
                distinct == 0 ? "no values: left out" : $"one value ('{values[0]}'): left out");
        var numbers = values.Count(v => CellValues.TryNumber(v, out _));
        var distinctEveryRow = missing == 0 && distinct == cells.Length && cells.Length >= CliDefaults.IdMinimumRows;
        if (numbers >= CliDefaults.NumericShare * values.Length)
        {
            if (distinctEveryRow && numbers == values.Length && LooksLikeNumericId(name, values))
                return new ColumnPlan(name, ColumnUse.Id, 0, null, 0, "integer distinct in every row: an identifier, left out (--ignore to silence)");
            return new ColumnPlan(name, ColumnUse.Numeric, missing, null, 0, "");
        }
        if (values.All(v => CellValues.TryDate(v, out _)))
        {
            var withTime = values.Any(v => CellValues.TryDate(v, out var d) && d.TimeOfDay != TimeSpan.Zero);
            var parts = withTime ? CellValues.DateParts.Length : CellValues.DateParts.Length - 2;
            return new ColumnPlan(name, ColumnUse.Date, missing, null, parts, string.Join(", ", CellValues.DateParts.Take(parts)));
        }
        var words = values.Average(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        if (words >= CliDefaults.TextMinimumWords)
            return new ColumnPlan(name, ColumnUse.Text, missing, null, 0,
                string.Format(CultureInfo.InvariantCulture, "FeaturizeText: {0:F1} words a value", words));
        // Numbers written with a decimal comma are not read as numbers: say so rather than encode them silently as strings.
        var hint = values.Count(v => v.Contains(',') && CellValues.TryNumber(v.Replace(',', '.'), out _)) >= CliDefaults.NumericShare * values.Length
            ? "; WARNING: these look like numbers with decimal commas, which are read as text: write them with a dot, or --ignore the column"
            : "";
        if (distinctEveryRow && hint.Length == 0)
            return new ColumnPlan(name, ColumnUse.Id, 0, null, 0, "distinct in every row: an identifier, left out (--ignore to silence)");
        if (distinct > CliDefaults.MaxCategories)
            return new ColumnPlan(name, ColumnUse.Text, missing, null, 0, $"FeaturizeText: {distinct} distinct values{hint}");
        return new ColumnPlan(name, ColumnUse.Categorical, missing, null, 0, $"{distinct} values{hint}");
    }

    // Measurements can be distinct in every row too: an identifier is integers counting up, or named like one.
    private static bool LooksLikeNumericId(string name, string[] values)
    {
        var lower = name.ToLowerInvariant();
        if (lower is "id" or "index" or "key" or "instant" or "row" || lower.EndsWith("_id", StringComparison.Ordinal)
            || lower.EndsWith("id", StringComparison.Ordinal) && name.Length > 2 && char.IsUpper(name[^2]))
            return values.All(v => CellValues.TryNumber(v, out var x) && x == MathF.Round(x));
        var numbers = values.Select(v => CellValues.TryNumber(v, out var x) ? x : float.NaN).ToArray();
        for (var i = 1; i < numbers.Length; i++)
            if (!(numbers[i] > numbers[i - 1]) || numbers[i] != MathF.Round(numbers[i]))
                return false;
        return true;
    }

}
