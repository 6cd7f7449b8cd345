namespace MLNetBackprop.Cli;

/// <summary>
/// Finds the cells a plan cannot read: text in a numeric column (or a regression label), a non-date in a date column.
/// They are an error naming each line, column and value, or with <c>--skip-bad-rows</c> their rows are left out.
/// </summary>
internal static class CellChecks
{
    /// <summary>The rows of <paramref name="rows"/> whose every checked cell reads; <paramref name="dropped"/> counts the others.</summary>
    public static int[] KeepReadableRows(CsvFile file, IReadOnlyList<int> rows, ModelPlan plan, bool withLabel, bool skipBadRows, out int dropped)
    {
        var checks = new List<(int Index, string Name, bool Date)>();
        foreach (var column in plan.Columns)
        {
            var index = file.IndexOf(column.Name);
            if (index < 0)
                continue;
            if (column.Use is ColumnUse.Numeric || column.Use is ColumnUse.Label && withLabel && plan.Task == TaskKind.Regression)
                checks.Add((index, column.Name, false));
            else if (column.Use is ColumnUse.Date)
                checks.Add((index, column.Name, true));
        }
        var kept = new List<int>(rows.Count);
        var bad = new List<string>();
        var badCells = 0;
        foreach (var r in rows)
        {
            var readable = true;
            foreach (var (index, name, date) in checks)
            {
                var cell = file.Rows[r][index];
                if (CellValues.IsMissing(cell) || (date ? CellValues.TryDate(cell, out _) : CellValues.TryNumber(cell, out _)))
                    continue;
                readable = false;
                badCells++;
                if (bad.Count < CliDefaults.MaxListedCells)
                    bad.Add($"line {file.LineNumbers[r]} column '{name}' '{cell}'");
            }
            if (readable)
                kept.Add(r);
        }
        dropped = rows.Count - kept.Count;
        if (badCells > 0 && !skipBadRows)
            throw new CliException($"'{file.Path}' has {badCells} cell{(badCells == 1 ? "" : "s")} that {(badCells == 1 ? "is" : "are")} not " +
                $"a number (or date) in a numeric (or date) column: {string.Join("; ", bad)}{(badCells > bad.Count ? "; ..." : "")}. " +
                "Fix them, write missing values as empty, NA or ?, --ignore the column, or pass --skip-bad-rows to leave those rows out");
        return [.. kept];
    }
}
