using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Cli;

/// <summary>
/// <c>predict</c>: scores a CSV/TSV file with a model saved by <c>train</c>, reading the file as the training file was
/// read (the model's column plan), and writes the predictions (and any <c>--keep</c> columns) as tab-separated text.
/// </summary>
internal static class PredictCommand
{
    private static readonly Option<string> Model = new("--model") { Description = "the model file saved by 'train'", Required = true };
    private static readonly Option<string> Data = CommonOptions.Data("the rows to score: a CSV/TSV file with the feature columns (the label is not needed)");
    private static readonly Option<string?> Output = new("--output") { Description = "where to write the predictions (default: the console)" };
    private static readonly Option<string[]> Keep = CommonOptions.Columns("--keep", "input columns to copy into the output before the predictions, e.g. an ID: --keep id,name");
    private static readonly Option<char?> Separator = CommonOptions.Separator();
    private static readonly Option<bool> SkipBadRows = CommonOptions.SkipBadRows();

    public static Command Create()
    {
        var command = new Command("predict", "score a file with a saved model and write the predictions as tab-separated text")
        {
            Model, Data, Output, Keep, Separator, SkipBadRows,
        };
        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult options)
    {
        var modelPath = options.GetValue(Model)!;
        var outputPath = options.GetValue(Output);
        var keep = options.GetValue(Keep) ?? [];
        // Notes go with the predictions to a file, but not into predictions written to the console.
        var log = outputPath is null ? Console.Error : Console.Out;
        if (outputPath is not null && Path.GetDirectoryName(Path.GetFullPath(outputPath)) is { } folder && !Directory.Exists(folder))
            throw new CliException($"--output '{outputPath}': the folder '{folder}' does not exist; create it or write elsewhere");
        var plan = ModelPlan.ReadFrom(modelPath);
        var file = CsvFile.Read(options.GetValue(Data)!, options.GetValue(Separator), options.GetValue(SkipBadRows));

        var missing = plan.Features.Select(c => c.Name).Where(n => file.IndexOf(n) < 0).ToArray();
        if (missing.Length > 0)
            throw new CliException($"'{file.Path}' lacks {missing.Length} column{(missing.Length == 1 ? "" : "s")} the model was trained with: " +
                $"{string.Join(", ", missing)} (the label '{plan.Label}' is not needed); is it the kind of file model '{modelPath}' was trained on?");
        var keepIndexes = keep.Select(k => file.RequireColumn(k, "--keep column")).ToArray();
        var unseen = file.ColumnNames.Where(n => !plan.Columns.Any(c => c.Name == n) && !keep.Contains(n)).ToArray();
        if (unseen.Length > 0)
            log.WriteLine($"note: ignored {unseen.Length} column{(unseen.Length == 1 ? "" : "s")} the model was not trained with: {string.Join(", ", unseen)}");
        if (file.SkippedRaggedRows > 0)
            log.WriteLine($"skipped {file.SkippedRaggedRows} rows with a wrong number of fields (--skip-bad-rows)");

        var rows = CellChecks.KeepReadableRows(file, Enumerable.Range(0, file.Rows.Count).ToArray(), plan, withLabel: false,
            options.GetValue(SkipBadRows), out var dropped);
        if (dropped > 0)
            log.WriteLine($"skipped {dropped} rows with a cell that is not a number (--skip-bad-rows)");
        var view = FeatureTable.Build(file, plan, rows, withLabel: false, out var unknown);
        if (unknown.Count > 0)
            log.WriteLine($"note: {unknown.Values.Sum()} values of categorical columns were not seen in training and count as unknown " +
                $"({string.Join(", ", unknown.Select(u => $"{u.Key}: {u.Value}"))})");
        var imputed = plan.Features.Where(c => c.Use is ColumnUse.Numeric or ColumnUse.Date)
            .Sum(c => rows.Count(r => CellValues.IsMissing(file.Rows[r][file.IndexOf(c.Name)])));
        if (imputed > 0)
            log.WriteLine($"imputed {imputed} missing values with the training means");

        var ml = new MLContext(seed: CliDefaults.Seed);
        var scored = Score(ml, modelPath, view);
        using var writer = outputPath is null ? new StreamWriter(Console.OpenStandardOutput()) : new StreamWriter(outputPath);
        Write(writer, file, rows, keepIndexes, plan, scored);
        if (outputPath is not null)
            Console.WriteLine($"wrote {rows.Length} predictions for {file.Path} to {outputPath}");
        return 0;
    }

    private static IDataView Score(MLContext ml, string modelPath, IDataView view)
    {
        try
        {
            return ml.Model.Load(modelPath, out _).Transform(view);
        }
        catch (Exception error) when (error is InvalidOperationException or ArgumentException or FormatException or InvalidDataException)
        {
            throw new CliException($"model file '{modelPath}' could not be loaded or does not fit its own column plan ({error.Message}); train it again");
        }
    }

    private static void Write(TextWriter writer, CsvFile file, int[] rows, int[] keep, ModelPlan plan, IDataView scored)
    {
        var c = CultureInfo.InvariantCulture;
        var header = keep.Select(k => file.ColumnNames[k]).ToList();
        header.AddRange(plan.Task switch
        {
            TaskKind.Binary => ["PredictedLabel", "Probability", "Score"],
            TaskKind.Multiclass => ["PredictedLabel", .. plan.Classes.Select(k => $"Score:{k}")],
            _ => ["Score"],
        });
        writer.WriteLine(string.Join('\t', header));
        using var cursor = scored.GetRowCursor(scored.Schema);
        var score = scored.Schema["Score"];
        var row = 0;
        if (plan.Task == TaskKind.Regression)
        {
            var get = cursor.GetGetter<float>(score);
            float value = 0;
            while (cursor.MoveNext())
            {
                get(ref value);
                writer.WriteLine(Line(keep, file, rows[row++], value.ToString("R", c)));
            }
        }
        else if (plan.Task == TaskKind.Binary)
        {
            var getLabel = cursor.GetGetter<bool>(scored.Schema["PredictedLabel"]);
            var getProbability = cursor.GetGetter<float>(scored.Schema["Probability"]);
            var getScore = cursor.GetGetter<float>(score);
            bool label = false;
            float probability = 0, value = 0;
            while (cursor.MoveNext())
            {
                getLabel(ref label);
                getProbability(ref probability);
                getScore(ref value);
                writer.WriteLine(Line(keep, file, rows[row++], $"{plan.Classes[label ? 1 : 0]}\t{probability.ToString("R", c)}\t{value.ToString("R", c)}"));
            }
        }
        else
        {
            var getLabel = cursor.GetGetter<ReadOnlyMemory<char>>(scored.Schema["PredictedLabel"]);
            var getScores = cursor.GetGetter<VBuffer<float>>(score);
            ReadOnlyMemory<char> label = default;
            VBuffer<float> scores = default;
            while (cursor.MoveNext())
            {
                getLabel(ref label);
                getScores(ref scores);
                var values = string.Join('\t', scores.DenseValues().Select(v => v.ToString("R", c)));
                writer.WriteLine(Line(keep, file, rows[row++], $"{label}\t{values}"));
            }
        }
    }

    private static string Line(int[] keep, CsvFile file, int row, string prediction) =>
        keep.Length == 0 ? prediction : string.Join('\t', keep.Select(k => file.Rows[row][k])) + "\t" + prediction;
}
