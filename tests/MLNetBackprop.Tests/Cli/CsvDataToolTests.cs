using System.Globalization;
using System.IO.Compression;

namespace MLNetBackprop.Tests.Cli;

/// <summary>The command-line tool on real-world CSV files: quoting, separators, missing and bad values, ragged rows.</summary>
public class CsvDataToolTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-csv-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly string[] Cities = ["Austin, TX", "Boston", "Chicago"];

    /// <summary>A clean table: an id, a city (one with a comma), a date, two numbers (x2 missing in every 11th row) and a yes/no label.</summary>
    private static IEnumerable<(int Id, string City, string Date, string X1, string X2, string Label)> Rows(int count = 120)
    {
        for (var i = 0; i < count; i++)
        {
            var x1 = i * 37 % 100 / 10f;
            var x2 = i * 53 % 70 / 10f - 3.5f;
            var city = Cities[i % 3];
            var label = x1 + x2 + (city == "Boston" ? 2 : 0) > 5 ? "yes" : "no";
            yield return (i + 1, city, new DateTime(2024, 1, 1).AddDays(i * 3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Text(x1), i % 11 == 0 ? "" : Text(x2), label);
        }
    }

    private static string Text(float x) => x.ToString("R", CultureInfo.InvariantCulture);

    private string CleanFile() => CliProcess.Write(_folder, "clean.csv",
        ["id,city,when,x1,x2,label", .. Rows().Select(r => $"{r.Id},\"{r.City}\",{r.Date},{r.X1},{r.X2},{r.Label}")]);

    [Fact]
    public void A_file_with_every_kind_of_dirt_gives_the_model_of_its_cleaned_version()
    {
        var clean = CleanFile();
        string[] missing = ["NA", "?", " ", "N/A"];
        var lines = new List<string> { "id;city;when;x1;x2;label" };
        foreach (var r in Rows())
        {
            // Quoted cells, padding, other missing markers, a semicolon separator, CRLF line ends (below).
            var x2 = r.X2.Length == 0 ? missing[r.Id % missing.Length] : $"\"{r.X2}\"";
            lines.Add($"{r.Id}; \"{r.City}\" ;{r.Date};  {r.X1};{x2};{r.Label}");
            if (r.Id % 25 == 0)
            {
                lines.Add($"{1000 + r.Id};Boston;{r.Date};1;2;");                 // no label
                lines.Add($"{2000 + r.Id};Boston;{r.Date};1;2");                  // a field short
                lines.Add($"{3000 + r.Id};\"Austin, TX\";{r.Date};abc;2;yes");    // not a number
                lines.Add("");                                                   // a blank line
            }
        }
        var dirty = CliProcess.Write(_folder, "dirty.csv", lines, "\r\n");
        var cleanModel = Path.Combine(_folder, "clean.zip");
        var dirtyModel = Path.Combine(_folder, "dirty.zip");

        var fromClean = CliProcess.Run("train", "--data", clean, "--label", "label", "--epochs", "20", "--model", cleanModel).Succeeded();
        var fromDirty = CliProcess.Run("train", "--data", dirty, "--label", "label", "--epochs", "20", "--model", dirtyModel, "--skip-bad-rows").Succeeded();

        Assert.Contains("(separator ';')", fromDirty.Output);
        Assert.Contains("skipped 4 rows with no label", fromDirty.Output);
        Assert.Contains("skipped 4 rows with a wrong number of fields (--skip-bad-rows)", fromDirty.Output);
        Assert.Contains("skipped 4 rows with a cell that is not a number (--skip-bad-rows)", fromDirty.Output);
        Assert.Contains("imputed 11 missing values in 1 column", fromDirty.Output);
        Assert.Contains("imputed 11 missing values in 1 column", fromClean.Output);
        Assert.Equal(Metrics(fromClean.Output), Metrics(fromDirty.Output));
        var cleanScores = CliProcess.Run("predict", "--model", cleanModel, "--data", clean).Succeeded().Output;
        var dirtyScores = CliProcess.Run("predict", "--model", dirtyModel, "--data", clean).Succeeded().Output;
        Assert.Equal(120 + 1, cleanScores.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(cleanScores, dirtyScores);
    }

    private static string[] Metrics(string output) => output.Split('\n').Where(l => l.StartsWith("  test ", StringComparison.Ordinal)).ToArray();

    [Theory]
    [InlineData("\t", null, "\\t")]
    [InlineData("|", null, "|")]
    [InlineData(";", ";", ";")]
    public void The_separator_is_detected_from_the_header_or_given(string separator, string? given, string shown)
    {
        var file = CliProcess.Write(_folder, "sep.txt", [string.Join(separator, "x", "city", "label"),
            .. Enumerable.Range(0, 30).Select(i => string.Join(separator, i.ToString(CultureInfo.InvariantCulture), "\"Austin, TX\"", i % 2 == 0 ? "yes" : "no"))]);

        var run = CliProcess.Run(["train", "--data", file, "--label", "label", "--show-columns", .. given is null ? Array.Empty<string>() : ["--separator", given]]).Succeeded();

        Assert.Contains($"(separator '{shown}')", run.Output);
        Assert.Contains(run.Output.Split('\n'), l => l.StartsWith("city", StringComparison.Ordinal) && l.Contains("unused       one value ('Austin, TX')", StringComparison.Ordinal));
    }

    [Fact]
    public void Numbers_with_decimal_commas_are_not_encoded_as_text_silently()
    {
        var file = CliProcess.Write(_folder, "eu.csv",
            ["price;rooms;label", .. Enumerable.Range(0, 30).Select(i => $"{i},{i % 10};{i % 4};{(i % 2 == 0 ? "yes" : "no")}")]);

        var run = CliProcess.Run("train", "--data", file, "--label", "label", "--show-columns").Succeeded();

        Assert.Contains(run.Output.Split('\n'), l => l.StartsWith("price", StringComparison.Ordinal) && l.Contains("WARNING: these look like numbers with decimal commas", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_cell_after_ten_thousand_rows_is_found()
    {
        var file = CliProcess.Write(_folder, "long.csv",
            ["x,label", .. Enumerable.Range(0, 10_100).Select(i => i == 10_050 ? "junk,yes" : $"{i % 13},{(i % 2 == 0 ? "yes" : "no")}")]);

        CliProcess.Run("train", "--data", file, "--label", "label", "--show-columns").FailedWith("line 10052 column 'x' 'junk'");
    }

    [Fact]
    public void A_ragged_row_is_an_error_naming_its_line_and_field_counts()
    {
        var file = CliProcess.Write(_folder, "ragged.csv", ["a,b,c", "1,2,x", "3,4,y", "5,6,7,x", "7,8,y"]);

        CliProcess.Run("train", "--data", file, "--label", "c").FailedWith($"'{file}' line 4 has 4 fields, the header has 3", "--skip-bad-rows");
    }

    [Fact]
    public void A_quote_left_open_is_named_in_the_error()
    {
        var file = CliProcess.Write(_folder, "open.csv", ["a,b,c", "1,2,x", "3,\"4,y", "5,6,x", "7,8,y"]);

        CliProcess.Run("train", "--data", file, "--label", "c").FailedWith("line 3 has 2 fields", "is a quote left open?");
    }

    [Fact]
    public void Text_in_a_numeric_column_is_an_error_naming_the_line_column_and_value()
    {
        var file = CliProcess.Write(_folder, "bad.csv",
            ["x1,x2,label", .. Enumerable.Range(0, 30).Select(i => i == 7 ? "abc,1,yes" : $"{i},{i % 4},{(i % 2 == 0 ? "yes" : "no")}")]);

        CliProcess.Run("train", "--data", file, "--label", "label").FailedWith("1 cell", "line 9 column 'x1' 'abc'", "--skip-bad-rows");
    }

    [Fact]
    public void Show_columns_prints_each_columns_use_and_trains_nothing()
    {
        var words = new[] { "printer", "network", "screen", "battery", "keyboard", "login", "update", "crash" };
        var lines = new List<string> { "ticket,created,team,priority,notes,constant,secret,area" };
        for (var i = 0; i < 40; i++)
            lines.Add($"{100 + i},2023-0{1 + i % 9}-1{i % 10} 1{i % 10}:30:00,team{i % 4},{i % 5},\"the {words[i % 8]} fails after {words[(i + 3) % 8]} number {i}\",same,{i},{(i % 2 == 0 ? "hardware" : "software")}");
        var file = CliProcess.Write(_folder, "tickets.csv", lines);
        var model = Path.Combine(_folder, "never.zip");

        var run = CliProcess.Run("train", "--data", file, "--label", "area", "--ignore", "secret", "--show-columns", "--model", model).Succeeded();

        string Row(string column) => Assert.Single(run.Output.Split('\n'), l => l.StartsWith(column + " ", StringComparison.Ordinal));
        Assert.Contains("ID (unused)", Row("ticket"));
        Assert.Contains("date         year, month, day, weekday, hour, minute", Row("created"));
        Assert.Contains("one-hot      4 values", Row("team"));
        Assert.Contains("numeric", Row("priority"));
        Assert.Contains("text         FeaturizeText", Row("notes"));
        Assert.Contains("unused       one value ('same')", Row("constant"));
        Assert.Contains("ignored", Row("secret"));
        Assert.Contains("label        binary", Row("area"));
        Assert.DoesNotContain("epoch", run.Output);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void Free_text_goes_through_FeaturizeText_and_is_learned()
    {
        string[] areas = ["printing", "network", "display"];
        string[][] vocabulary = [["printer", "paper", "toner"], ["wifi", "router", "ethernet"], ["screen", "monitor", "pixels"]];
        var lines = new List<string> { "title,area" };
        for (var i = 0; i < 150; i++)
        {
            var a = i % 3;
            lines.Add($"\"my {vocabulary[a][i % 3]} stopped working after the update {i}, please help\",{areas[a]}");
        }
        var file = CliProcess.Write(_folder, "issues.csv", lines);

        var run = CliProcess.Run("train", "--data", file, "--label", "area", "--epochs", "30", "--model", Path.Combine(_folder, "m.zip")).Succeeded();

        Assert.Contains("text         FeaturizeText", run.Output);
        var accuracy = run.Output.Split('\n').Single(l => l.StartsWith("  test accuracy", StringComparison.Ordinal));
        Assert.True(double.Parse(accuracy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], CultureInfo.InvariantCulture) >= 0.9, run.Output);
    }

    [Fact]
    public void A_feature_that_gives_the_label_away_is_named_in_a_warning()
    {
        var file = CliProcess.Write(_folder, "leak.csv",
            ["a,b,total,count", .. Enumerable.Range(0, 60).Select(i => $"{i % 7},{i * 13 % 11},{2 * (i * 31 % 50) + 1},{i * 31 % 50}")]);

        var run = CliProcess.Run("train", "--data", file, "--label", "count", "--show-columns").Succeeded();

        var warning = Assert.Single(run.Output.Split('\n'), l => l.StartsWith("warning:", StringComparison.Ordinal));
        Assert.Contains("column 'total' alone predicts the label 'count'", warning);
        Assert.Contains("--ignore total", warning);
    }

    [Fact]
    public void A_label_named_like_an_output_column_trains_and_a_total_of_its_parts_gets_a_warning()
    {
        // The label is the sum of the two columns, as a count is of bike-sharing's casual and registered users.
        var file = CliProcess.Write(_folder, "score.csv",
            ["a,b,Score", .. Enumerable.Range(0, 400).Select(i => $"{i * 37 % 100},{i * 7 % 23},{i * 37 % 100 + i * 7 % 23}")]);

        var run = CliProcess.Run("train", "--data", file, "--label", "Score", "--learning-rate", "0.01", "--epochs", "400", "--tolerance", "0",
            "--model", Path.Combine(_folder, "m.zip")).Succeeded();

        Assert.Contains("task: regression", run.Output);
        Assert.Contains("is nearly perfect; if some columns are derived from the label", run.Output);
    }

    [Fact]
    public void An_integer_label_with_few_values_is_multiclass_unless_the_task_says_regression()
    {
        var file = CliProcess.Write(_folder, "grades.csv",
            ["x,y,grade", .. Enumerable.Range(0, 60).Select(i => $"{i % 10},{i * 7 % 13},{i % 10 / 4}")]);

        var inferred = CliProcess.Run("train", "--data", file, "--label", "grade", "--epochs", "5", "--model", Path.Combine(_folder, "a.zip")).Succeeded();
        var regression = CliProcess.Run("train", "--data", file, "--label", "grade", "--epochs", "5", "--task", "regression", "--model", Path.Combine(_folder, "b.zip")).Succeeded();

        Assert.Contains("label 'grade' has 3 integer values", inferred.Output);
        Assert.Contains("pass --task regression", inferred.Output);
        Assert.Contains("task: multiclass", inferred.Output);
        Assert.Contains("task: regression", regression.Output);
    }

    [Fact]
    public void Predict_names_the_classes_keeps_columns_and_reports_unseen_columns_and_categories()
    {
        var model = Path.Combine(_folder, "m.zip");
        CliProcess.Run("train", "--data", CleanFile(), "--label", "label", "--epochs", "10", "--model", model).Succeeded();
        var file = CliProcess.Write(_folder, "new.csv",
            ["id,city,when,x1,x2,extra", "7,Boston,2025-01-01,1.5,2,a", "8,Denver,2025-02-01,3,,b", "9,Paris,2025-03-01,9,3,c"]);
        var output = Path.Combine(_folder, "p.tsv");

        var run = CliProcess.Run("predict", "--model", model, "--data", file, "--keep", "id", "--output", output).Succeeded();

        Assert.Contains("ignored 1 column the model was not trained with: extra", run.Output);
        Assert.Contains("2 values of categorical columns were not seen in training", run.Output);
        Assert.Contains("city: 2", run.Output);
        Assert.Contains("imputed 1 missing values", run.Output);
        var lines = File.ReadAllLines(output);
        Assert.Equal(["id", "PredictedLabel", "Probability", "Score"], lines[0].Split('\t'));
        Assert.Equal(["7", "8", "9"], lines.Skip(1).Select(l => l.Split('\t')[0]));
        Assert.All(lines.Skip(1), l => Assert.True(l.Split('\t')[1] is "yes" or "no", l));
    }

    [Fact]
    public void Predict_lists_the_missing_columns_without_the_label()
    {
        var model = Path.Combine(_folder, "m.zip");
        CliProcess.Run("train", "--data", CleanFile(), "--label", "label", "--epochs", "5", "--model", model).Succeeded();
        var file = CliProcess.Write(_folder, "partial.csv", ["id,city,x1", "1,Boston,2"]);

        var error = CliProcess.Run("predict", "--model", model, "--data", file).FailedWith("lacks 2 columns the model was trained with: when, x2 (the label 'label' is not needed)");

        // The list names only the absent columns (the temporary folder's name in the message may hold any letters).
        Assert.DoesNotContain("x1", error[error.IndexOf("lacks", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void Model_file_errors_name_the_file_and_what_is_wrong_with_it()
    {
        var text = CliProcess.Write(_folder, "notes.txt", ["not a model"]);
        var foreign = Path.Combine(_folder, "foreign.zip");
        using (var zip = ZipFile.Open(foreign, ZipArchiveMode.Create))
            zip.CreateEntry("Model/Key").Open().Dispose();
        var iris = Path.Combine(_folder, "iris.zip");
        CliProcess.Run("train", "--data", CliProcess.Data("iris.csv"), "--label", "Label", "--epochs", "5", "--model", iris).Succeeded();

        CliProcess.Run("predict", "--model", text, "--data", CliProcess.Data("iris.csv")).FailedWith($"model file '{text}' is not a model (not a zip archive)");
        CliProcess.Run("predict", "--model", foreign, "--data", CliProcess.Data("iris.csv")).FailedWith($"model file '{foreign}' was not saved by this tool's 'train'");
        CliProcess.Run("predict", "--model", Path.Combine(_folder, "none.zip"), "--data", CliProcess.Data("iris.csv")).FailedWith("does not exist");
        CliProcess.Run("predict", "--model", iris, "--data", CliProcess.Data("wine.csv")).FailedWith(
            $"'{CliProcess.Data("wine.csv")}' lacks 4 columns the model was trained with: SepalLength, SepalWidth, PetalLength, PetalWidth", iris);
    }

    [Fact]
    public void A_bad_model_path_is_reported_before_training()
    {
        var run = CliProcess.Run("train", "--data", CliProcess.Data("iris.csv"), "--label", "Label", "--model", Path.Combine(_folder, "no", "such", "m.zip"));

        run.FailedWith("--model", "does not exist");
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void The_scikit_learn_preset_trains_with_normalized_features()
    {
        var run = CliProcess.Run("train", "--data", CliProcess.Data("iris.csv"), "--label", "Label", "--preset", "scikit-learn", "--epochs", "50",
            "--model", Path.Combine(_folder, "m.zip")).Succeeded();

        Assert.Contains("task: multiclass", run.Output);
    }
}
