namespace MLNetBackprop.Cli;

/// <summary>How one column of the training file is used, saved with the model so that <c>predict</c> reads files alike.</summary>
/// <param name="Name">The column's name in the header.</param>
/// <param name="Use">What training does with it.</param>
/// <param name="Missing">Missing cells in the training rows (numeric and date columns get an indicator feature when above 0).</param>
/// <param name="Categories">The training values of a categorical column (to count unknown ones when predicting).</param>
/// <param name="DateParts">How many of <see cref="CellValues.DateParts"/> a date column becomes.</param>
/// <param name="Note">Why the column got its use, for the column table.</param>
internal sealed record ColumnPlan(string Name, ColumnUse Use, int Missing, string[]? Categories, int DateParts, string Note)
{
    /// <summary>Whether the column feeds the model.</summary>
    public bool IsFeature => Use is ColumnUse.Numeric or ColumnUse.Date or ColumnUse.Categorical or ColumnUse.Text;

    /// <summary>The numeric columns the model reads for this column (a date's parts, or the column itself).</summary>
    public IEnumerable<string> NumericColumns => Use switch
    {
        ColumnUse.Numeric => [Name],
        ColumnUse.Date => CellValues.DateParts.Take(DateParts).Select(p => $"{Name}:{p}"),
        _ => [],
    };
}
