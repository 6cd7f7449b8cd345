using System.Globalization;

namespace MLNetBackprop.Cli;

/// <summary>
/// Warns about features that predict the label almost perfectly on their own (|correlation| with a numeric label, or how
/// pure the label is within a feature's values or value ranges for classes): usually a column derived from the label or
/// known only with it, which gives a model that looks excellent and fails on new data.
/// </summary>
internal static class LeakCheck
{
    private const int MaxBins = 20;
    private const int MinRowsPerBin = 10;

    /// <summary>One warning per suspicious feature column.</summary>
    public static IEnumerable<string> Warnings(CsvFile file, TableAnalysis analysis)
    {
        var plan = analysis.Plan;
        var rows = analysis.Rows;
        if (rows.Length < CliDefaults.LeakMinimumRows)
            yield break;
        var labelIndex = file.IndexOf(plan.Label);
        var labels = rows.Select(r => file.Rows[r][labelIndex]).ToArray();
        foreach (var column in plan.Features.Where(c => c.Use is ColumnUse.Numeric or ColumnUse.Categorical))
        {
            var index = file.IndexOf(column.Name);
            var present = rows.Select((r, i) => (Cell: file.Rows[r][index], Label: labels[i])).Where(p => !CellValues.IsMissing(p.Cell)).ToArray();
            if (present.Length < CliDefaults.LeakMinimumRows)
                continue;
            string? evidence = null;
            if (plan.Task == TaskKind.Regression)
            {
                if (column.Use == ColumnUse.Numeric)
                {
                    var r = Correlation(present.Select(p => Number(p.Cell)).ToArray(), present.Select(p => Number(p.Label)).ToArray());
                    if (Math.Abs(r) > CliDefaults.LeakThreshold)
                        evidence = string.Format(CultureInfo.InvariantCulture, "correlation {0:F3} with it", r);
                }
            }
            else
            {
                var purity = column.Use == ColumnUse.Categorical
                    ? Purity(present.GroupBy(p => p.Cell, StringComparer.Ordinal).Select(g => g.Select(p => p.Label)))
                    : Purity(Bins(present.OrderBy(p => Number(p.Cell)).Select(p => p.Label).ToArray()));
                var groups = column.Use == ColumnUse.Categorical ? "value" : "value range";
                if (purity >= CliDefaults.LeakThreshold)
                    evidence = string.Format(CultureInfo.InvariantCulture, "each {0} of it has one class in {1:P1} of its rows", groups, purity);
            }
            if (evidence is not null)
                yield return $"warning: column '{column.Name}' alone predicts the label '{plan.Label}' almost perfectly ({evidence}); " +
                    $"if it is derived from the label or known only with it, leave it out with --ignore {column.Name}";
        }
    }

    // Sorted labels cut into equal bins of at least MinRowsPerBin rows.
    private static IEnumerable<IEnumerable<string>> Bins(string[] sortedLabels)
    {
        var bins = Math.Clamp(sortedLabels.Length / MinRowsPerBin, 1, MaxBins);
        for (var b = 0; b < bins; b++)
        {
            var start = (int)((long)sortedLabels.Length * b / bins);
            var end = (int)((long)sortedLabels.Length * (b + 1) / bins);
            yield return sortedLabels[start..end];
        }
    }

    // The share of rows whose group's most common label is theirs.
    private static double Purity(IEnumerable<IEnumerable<string>> groups)
    {
        long majority = 0, total = 0;
        foreach (var group in groups)
        {
            var counts = group.GroupBy(l => l, StringComparer.Ordinal).Select(g => g.Count()).ToArray();
            majority += counts.Max();
            total += counts.Sum();
        }
        return total == 0 ? 0 : (double)majority / total;
    }

    private static double Correlation(float[] x, float[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }

    private static float Number(string cell) => CellValues.TryNumber(cell, out var x) ? x : 0;
}
