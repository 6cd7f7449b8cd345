namespace MLNetBackprop.Cli;

/// <summary>The table of how each column of the training file is used, printed by <c>train</c> and <c>--show-columns</c>.</summary>
internal static class ColumnReport
{
    /// <summary>Runs of at least this many adjacent columns with the same use and detail share one line (wide tables).</summary>
    private const int RunToShorten = 6;

    public static void Write(TextWriter output, ModelPlan plan)
    {
        var rows = new List<(string Name, string Use, string Detail)>();
        var columns = plan.Columns;
        for (var start = 0; start < columns.Length;)
        {
            var end = start + 1;
            while (end < columns.Length && Use(columns[end].Use) == Use(columns[start].Use) && Detail(columns[end]) == Detail(columns[start]))
                end++;
            if (end - start >= RunToShorten)
                rows.Add(($"{columns[start].Name} .. {columns[end - 1].Name}", Use(columns[start].Use),
                    string.Join("; ", new[] { $"{end - start} columns", Detail(columns[start]) }.Where(s => s.Length > 0))));
            else
                rows.AddRange(columns[start..end].Select(c => (c.Name, Use(c.Use), Detail(c))));
            start = end - start >= RunToShorten ? end : start + 1;
        }
        var width = Math.Max(6, rows.Max(r => r.Name.Length));
        output.WriteLine($"{"column".PadRight(width)}  {"use",-11}  detail");
        foreach (var (name, use, detail) in rows)
            output.WriteLine($"{name.PadRight(width)}  {use,-11}  {detail}".TrimEnd());
    }

    private static string Use(ColumnUse use) => use switch
    {
        ColumnUse.Categorical => "one-hot",
        ColumnUse.Id => "ID (unused)",
        ColumnUse.Constant => "unused",
        ColumnUse.Ignored => "ignored",
        _ => use.ToString().ToLowerInvariant(),
    };

    private static string Detail(ColumnPlan column)
    {
        var missing = column.Missing > 0 && column.IsFeature
            ? column.Use is ColumnUse.Numeric or ColumnUse.Date ? $"{column.Missing} missing: training mean + indicator" : $"{column.Missing} missing"
            : "";
        return string.Join("; ", new[] { column.Note, missing }.Where(s => s.Length > 0));
    }
}
