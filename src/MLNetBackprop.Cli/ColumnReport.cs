namespace MLNetBackprop.Cli;

/// <summary>The table of how each column of the training file is used, printed by <c>train</c> and <c>--show-columns</c>.</summary>
internal static class ColumnReport
{
    public static void Write(TextWriter output, ModelPlan plan)
    {
        var width = Math.Max(6, plan.Columns.Max(c => c.Name.Length));
        output.WriteLine($"{"column".PadRight(width)}  {"use",-11}  detail");
        foreach (var column in plan.Columns)
            output.WriteLine($"{column.Name.PadRight(width)}  {Use(column.Use),-11}  {Detail(column)}".TrimEnd());
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
