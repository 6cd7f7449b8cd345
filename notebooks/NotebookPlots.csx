// Shared charts for the notebooks in this folder: each function draws one chart with ScottPlot and shows it in the
// notebook as a static PNG image (so it renders in VS Code, Jupyter and on GitHub, and survives a headless run).
// The library itself has no plotting dependency; only the notebooks reference ScottPlot.
//
// Use from a notebook in this folder, in a cell after `#r "nuget: ScottPlot, 5.1.59"`:
//     #load "NotebookPlots.csx"
//     Charts.Lines("Loss", "epoch", "loss", [new Series("training", xs, ys)]);
//     Tables.Show(["class", "recall"], rows);
//
// On Linux the text needs a TrueType font (Debian: fonts-dejavu-core); without one, charts are drawn without text.

using Microsoft.DotNet.Interactive;
using ScottPlot;

/// <summary>One named line or point series.</summary>
public record Series(string Name, double[] X, double[] Y);

/// <summary>The notebooks' charts. Every method renders a PNG and displays it below the cell.</summary>
public static class Charts
{
    /// <summary>Image size of the charts, in pixels.</summary>
    public static int Width = 720, Height = 440;

    static readonly Color[] Palette =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728"),
        Color.FromHex("#9467bd"), Color.FromHex("#8c564b"), Color.FromHex("#e377c2"), Color.FromHex("#7f7f7f"),
    ];

    static Charts()
    {
        // Prefer DejaVu Sans where it is installed (Linux); elsewhere ScottPlot's default font is fine.
        if (SkiaSharp.SKFontManager.Default.FontFamilies.Contains("DejaVu Sans"))
            Fonts.Default = "DejaVu Sans";
    }

    /// <summary>Renders <paramref name="plot"/> as PNG and shows it in the notebook.</summary>
    public static void Show(Plot plot, int? width = null, int? height = null)
    {
        var png = plot.GetImageBytes(width ?? Width, height ?? Height, ImageFormat.Png);
        KernelInvocationContext.Current.DisplayAs(Convert.ToBase64String(png), "image/png");
    }

    static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>
    /// Line chart of one or more series, e.g. learning curves. <paramref name="logY"/> draws the y axis on a log scale
    /// (values must be positive); <paramref name="markX"/> adds a dashed vertical line labelled <paramref name="markLabel"/>.
    /// </summary>
    public static void Lines(string title, string xLabel, string yLabel, IEnumerable<Series> series,
        bool logY = false, double? markX = null, string? markLabel = null)
    {
        var plot = NewPlot(title, xLabel, yLabel);
        var i = 0;
        foreach (var s in series)
        {
            var ys = logY ? s.Y.Select(Math.Log10).ToArray() : s.Y;
            var line = plot.Add.ScatterLine(s.X, ys, Palette[i++ % Palette.Length]);
            line.LineWidth = 2;
            line.LegendText = s.Name;
        }
        if (logY)
            plot.Axes.Left.TickGenerator = LogTicks(series.SelectMany(s => s.Y).Where(y => y > 0 && double.IsFinite(y)));
        if (markX is { } x)
        {
            var mark = plot.Add.VerticalLine(x, 1.5f, Color.FromHex("#555555"), LinePattern.Dashed);
            mark.LegendText = markLabel ?? $"x = {x}";
        }
        plot.ShowLegend(Alignment.UpperRight);
        Show(plot);
    }

    /// <summary>Ticks for data plotted as log10(y): 1-2-5 steps (or every digit when the range is short), labelled with y.</summary>
    static ScottPlot.TickGenerators.NumericManual LogTicks(IEnumerable<double> values)
    {
        var list = values.ToList();
        double lo = list.Count > 0 ? list.Min() : 0.1, hi = list.Count > 0 ? list.Max() : 1;
        int first = (int)Math.Floor(Math.Log10(lo)), last = (int)Math.Ceiling(Math.Log10(hi));
        double[] Candidates(double[] mantissas) => Enumerable.Range(first, last - first + 1)
            .SelectMany(k => mantissas.Select(m => m * Math.Pow(10, k))).Where(v => v >= lo * 0.95 && v <= hi * 1.05).ToArray();
        var ticks = Candidates([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        if (ticks.Length > 10) ticks = Candidates([1, 2, 5]);
        if (ticks.Length > 10) ticks = Candidates([1]);
        var labels = ticks.Select(v => v.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new ScottPlot.TickGenerators.NumericManual(ticks.Select(Math.Log10).ToArray(), labels);
    }

    /// <summary>Line chart with one series: <see cref="Lines"/> for a single curve.</summary>
    public static void Line(string title, string xLabel, string yLabel, double[] x, double[] y, bool logY = false)
        => Lines(title, xLabel, yLabel, [new Series(yLabel, x, y)], logY);

    /// <summary>
    /// Learning curves: training loss per epoch and, when given, validation loss, with the kept (best) epoch marked.
    /// </summary>
    public static void LearningCurve(string title, double[] epochs, double[] trainingLoss, double[]? validationLoss = null,
        int? bestEpoch = null, bool logY = true)
    {
        var series = new List<Series> { new("training loss", epochs, trainingLoss) };
        if (validationLoss is not null)
            series.Add(new("validation loss", epochs, validationLoss));
        Lines(title, "epoch", logY ? "loss (log scale)" : "loss", series, logY,
            bestEpoch, bestEpoch is { } b ? $"kept epoch {b}" : null);
    }

    /// <summary>
    /// Confusion matrix as a heatmap: rows are the true classes, columns the predicted ones; each cell shows its count
    /// and is coloured by the share of its row (the recall of that class along the diagonal).
    /// </summary>
    public static void ConfusionMatrix(string title, IReadOnlyList<IReadOnlyList<double>> counts, IReadOnlyList<string> classNames)
    {
        var n = classNames.Count;
        var share = new double[n, n];
        for (var r = 0; r < n; r++)
        {
            var total = counts[r].Sum();
            for (var c = 0; c < n; c++)
                share[r, c] = total > 0 ? counts[r][c] / total : 0;
        }

        var plot = NewPlot(title, "predicted class", "true class");
        var map = plot.Add.Heatmap(share);
        map.Colormap = new ScottPlot.Colormaps.Blues().Reversed();   // dark = large share
        map.ManualRange = new ScottPlot.Range(0, 1);
        // The heatmap centres cell (r, c) on x = c, y = n - 1 - r: row 0 at the top.
        var bar = plot.Add.ColorBar(map);
        bar.Label = "share of the true class";

        for (var r = 0; r < n; r++)
            for (var c = 0; c < n; c++)
            {
                var text = plot.Add.Text(counts[r][c].ToString("0", System.Globalization.CultureInfo.InvariantCulture), c, n - 1 - r);
                text.Alignment = Alignment.MiddleCenter;
                text.FontSize = n > 6 ? 13 : 18;
                text.FontColor = share[r, c] > 0.5 ? Colors.White : Colors.Black;
            }

        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, classNames.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            positions.Select(p => n - 1 - p).ToArray(), classNames.ToArray());
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Grid.IsVisible = false;
        Show(plot, 620, 540);
    }

    /// <summary>Points of the ROC curve and the area under it, from true labels and scores (higher = more positive).</summary>
    public static (double[] FalsePositiveRate, double[] TruePositiveRate, double Auc) RocCurve(IReadOnlyList<bool> labels, IReadOnlyList<double> scores)
    {
        var order = Enumerable.Range(0, labels.Count).OrderByDescending(i => scores[i]).ToArray();
        double positives = labels.Count(l => l), negatives = labels.Count - positives;
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        double tp = 0, fp = 0, auc = 0;
        for (var k = 0; k < order.Length; k++)
        {
            if (labels[order[k]]) tp++; else fp++;
            // One point per distinct score, so tied scores form one diagonal step.
            if (k + 1 < order.Length && scores[order[k + 1]] == scores[order[k]])
                continue;
            var x = negatives > 0 ? fp / negatives : 0;
            var y = positives > 0 ? tp / positives : 0;
            auc += (x - fpr[^1]) * (y + tpr[^1]) / 2;
            fpr.Add(x);
            tpr.Add(y);
        }
        return (fpr.ToArray(), tpr.ToArray(), auc);
    }

    /// <summary>ROC curve from true labels and scores, with the chance diagonal and the area under the curve.</summary>
    public static void Roc(string title, IReadOnlyList<bool> labels, IReadOnlyList<double> scores)
    {
        var (fpr, tpr, auc) = RocCurve(labels, scores);
        var plot = NewPlot(title, "false positive rate", "true positive rate");
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LinePattern = LinePattern.Dashed;
        chance.Color = Palette[7];
        chance.LegendText = "chance";
        var curve = plot.Add.ScatterLine(fpr, tpr, Palette[0]);
        curve.LineWidth = 2.5f;
        curve.LegendText = $"MLP (AUC = {auc:F4})";
        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        plot.ShowLegend(Alignment.LowerRight);
        Show(plot, 560, 520);
    }

    /// <summary>Predicted against actual values, with the line of perfect prediction.</summary>
    public static void PredictedVsActual(string title, IReadOnlyList<double> actual, IReadOnlyList<double> predicted, string unit = "")
    {
        var suffix = unit.Length > 0 ? $" ({unit})" : "";
        var plot = NewPlot(title, "actual" + suffix, "predicted" + suffix);
        var lo = Math.Min(actual.Min(), predicted.Min());
        var hi = Math.Max(actual.Max(), predicted.Max());
        var ideal = plot.Add.Line(lo, lo, hi, hi);
        ideal.LinePattern = LinePattern.Dashed;
        ideal.Color = Palette[7];
        ideal.LegendText = "predicted = actual";
        var points = plot.Add.ScatterPoints(actual.ToArray(), predicted.ToArray(), Palette[0].WithAlpha(0.7));
        points.MarkerSize = 7;
        points.LegendText = "test rows";
        plot.ShowLegend(Alignment.UpperLeft);
        Show(plot, 560, 520);
    }

    /// <summary>Residuals (actual − predicted) against the predicted value, with the zero line.</summary>
    public static void Residuals(string title, IReadOnlyList<double> predicted, IReadOnlyList<double> residuals, string unit = "")
    {
        var suffix = unit.Length > 0 ? $" ({unit})" : "";
        var plot = NewPlot(title, "predicted" + suffix, "actual − predicted" + suffix);
        var zero = plot.Add.HorizontalLine(0, 1.5f, Palette[7], LinePattern.Dashed);
        var points = plot.Add.ScatterPoints(predicted.ToArray(), residuals.ToArray(), Palette[1].WithAlpha(0.7));
        points.MarkerSize = 7;
        Show(plot);
    }

    /// <summary>Histogram of <paramref name="values"/> in <paramref name="bins"/> equal bins.</summary>
    public static void Histogram(string title, string xLabel, IReadOnlyList<double> values, int bins = 20)
    {
        var plot = NewPlot(title, xLabel, "count");
        var hist = ScottPlot.Statistics.Histogram.WithBinCount(bins, values.Min(), values.Max());
        hist.AddRange(values);
        var bars = plot.Add.Histogram(hist);
        bars.BarWidthFraction = 0.9;
        plot.Axes.Margins(bottom: 0);
        Show(plot);
    }

    /// <summary>
    /// Horizontal bar chart of importances, largest at the top, with optional error bars (e.g. the standard
    /// deviation over permutation feature importance repeats). Shows the <paramref name="top"/> largest.
    /// </summary>
    public static void FeatureImportance(string title, string valueLabel, IReadOnlyList<string> names,
        IReadOnlyList<double> values, IReadOnlyList<double>? errors = null, int top = 15)
    {
        var order = Enumerable.Range(0, names.Count).OrderByDescending(i => values[i]).Take(top).ToArray();
        var plot = NewPlot(title, valueLabel, "");
        var bars = order.Select((feature, rank) => new Bar
        {
            Position = order.Length - 1 - rank,
            Value = values[feature],
            Error = errors?[feature] ?? 0,
            FillColor = Palette[0],
            Orientation = Orientation.Horizontal,
        }).ToArray();
        var plotted = plot.Add.Bars(bars);
        plotted.Horizontal = true;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            order.Select((_, rank) => (double)(order.Length - 1 - rank)).ToArray(), order.Select(i => names[i]).ToArray());
        plot.Axes.Margins(left: 0);
        plot.Grid.YAxisStyle.IsVisible = false;
        Show(plot, 720, 120 + 28 * order.Length);
    }

    /// <summary>
    /// Small grayscale images side by side (e.g. 8x8 digits), each with a caption; <paramref name="pixels"/> holds
    /// one row-major image of <paramref name="width"/> x <paramref name="height"/> values per entry, higher = darker;
    /// each image pixel is drawn <paramref name="pixelSize"/> screen pixels wide.
    /// </summary>
    public static void Images(string title, IReadOnlyList<float[]> pixels, int width, int height, IReadOnlyList<string> captions,
        int perRow = 6, int pixelSize = 12)
    {
        // All images go into one heatmap with blank (NaN) cells between them; the heatmap centres cell (r, c) on
        // x = c, y = totalRows - 1 - r, so row 0 is at the top.
        int gapX = Math.Max(2, width / 2), captionRows = Math.Max(3, height / 3), rows = (pixels.Count + perRow - 1) / perRow;
        int tileWidth = width + gapX, tileHeight = height + captionRows;
        int totalColumns = perRow * tileWidth - gapX, totalRows = rows * tileHeight;
        var grid = new double[totalRows, totalColumns];
        for (var r = 0; r < totalRows; r++)
            for (var c = 0; c < totalColumns; c++)
                grid[r, c] = double.NaN;

        var plot = new Plot();
        plot.Title(title);
        for (var k = 0; k < pixels.Count; k++)
        {
            int top = k / perRow * tileHeight, left = k % perRow * tileWidth;
            for (var r = 0; r < height; r++)
                for (var c = 0; c < width; c++)
                    grid[top + r, left + c] = pixels[k][r * width + c];
            var caption = plot.Add.Text(captions[k], left + (width - 1) / 2.0, totalRows - 1 - (top + height) + 0.3);
            caption.Alignment = Alignment.UpperCenter;
            caption.FontSize = 13;
        }
        var image = plot.Add.Heatmap(grid);
        image.Colormap = new ScottPlot.Colormaps.GrayscaleReversed();   // higher value = darker ink
        image.NaNCellColor = Colors.Transparent;
        plot.MoveToBack(image);
        plot.Axes.SetLimits(-1, totalColumns, -0.5, totalRows - 0.5);
        plot.HideAxesAndGrid();
        plot.Axes.Title.IsVisible = true;   // HideAxesAndGrid hides the title too
        Show(plot, Math.Max(200, 22 + pixelSize * totalColumns), 60 + pixelSize * totalRows);
    }
}

/// <summary>Small result tables, shown as Markdown (rendered alike in VS Code, Jupyter and on GitHub).</summary>
public static class Tables
{
    /// <summary>Shows a table with the given column headers; numbers are formatted with <paramref name="format"/>.</summary>
    public static void Show(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object?>> rows, string format = "G4")
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("| " + string.Join(" | ", headers) + " |");
        text.AppendLine("|" + string.Concat(headers.Select(_ => "---|")));
        foreach (var row in rows)
            text.AppendLine("| " + string.Join(" | ", row.Select(cell => Format(cell, format))) + " |");
        KernelInvocationContext.Current.DisplayAs(text.ToString(), "text/markdown");
    }

    static string Format(object? cell, string format) => cell switch
    {
        null => "",
        float f => f.ToString(format, System.Globalization.CultureInfo.InvariantCulture),
        double d => d.ToString(format, System.Globalization.CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => cell.ToString()!.Replace("|", "\\|"),
    };
}
