using System.Globalization;
using MLNetBackprop.Cli;
using MLNetBackprop.Tests.TestSupport;
using Defaults = MLNetBackprop.MlpOptionsBase.Defaults;

namespace MLNetBackprop.Tests.Cli;

/// <summary>The command-line tool, run as a user runs it: its own process, real files, exit codes.</summary>
public class CommandLineToolTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static BuiltProgram.Result Cli(params string[] args) => BuiltProgram.Run("src/MLNetBackprop.Cli", "mlnet-backprop", args);

    private static string Data(string file) => Path.Combine(BuiltProgram.RepositoryRoot, "data", file);

    [Fact]
    public void Train_saves_a_model_that_predict_uses_to_score_every_row()
    {
        var model = Path.Combine(_folder, "wine.zip");
        var predictions = Path.Combine(_folder, "predictions.tsv");

        var train = Cli("train", "--data", Data("wine.csv"), "--label", "Label", "--hidden", "16", "--model", model);
        var predict = Cli("predict", "--model", model, "--data", Data("wine.csv"), "--output", predictions);

        Assert.True(train.ExitCode == 0, train.Output + train.Error);
        Assert.Contains("task: multiclass", train.Output);
        Assert.Contains("test accuracy", train.Output);
        Assert.True(predict.ExitCode == 0, predict.Output + predict.Error);
        var lines = File.ReadAllLines(predictions);
        Assert.Equal(178 + 1, lines.Length);
        Assert.StartsWith("PredictedLabel", lines[0]);
        Assert.Contains(lines.Skip(1), line => line.StartsWith("class_0", StringComparison.Ordinal));
    }

    [Fact]
    public void Redirected_output_gets_plain_progress_lines_not_a_live_bar()
    {
        var run = Cli("train", "--data", Data("iris.csv"), "--label", "Label", "--epochs", "30", "--model", Path.Combine(_folder, "m.zip"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("epoch    1/30", run.Output);
        Assert.DoesNotContain("\r", run.Output);
    }

    [Fact]
    public void Help_shows_every_default_from_the_constants_that_set_it()
    {
        var run = Cli("--help");

        Assert.Equal(0, run.ExitCode);
        string Line(string option) => Assert.Single(run.Output.Split('\n'), l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal));
        static string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
        Assert.Contains($"(default {Text(Defaults.HiddenLayerSize)}; narrower for sparse rows", Line("--hidden"));
        Assert.Contains($"at least {Text(Defaults.AutomaticMinimumEpochs)}", Line("--epochs"));
        Assert.Contains($"{Text(Defaults.AutomaticMinimumUpdates)} mini-batch updates", Line("--epochs"));
        Assert.Contains($"{Defaults.Optimizer} step size (default {Text(Defaults.LearningRate)}; {Text(Defaults.SparseLearningRate)} for sparse rows)", Line("--learning-rate"));
        Assert.Contains($"(default {Text(Defaults.BatchSize)})", Line("--batch-size"));
        Assert.Contains($"(default {Text(CliDefaults.TestFraction)})", Line("--test-fraction"));
        Assert.Contains($"(default {Text(Defaults.ValidationFraction)}; {Text(Defaults.SparseValidationFraction)} for sparse rows)", Line("--validation-fraction"));
        Assert.Contains($"for {Text(Defaults.EpochsWithoutImprovement)} epochs (default {Text(Defaults.Tolerance)};", Line("--tolerance"));
        Assert.Contains($"(default {Text(Defaults.CheckpointEveryEpochs)})", Line("--checkpoint-every"));
        Assert.Contains($"(default {Text(CliDefaults.Seed)})", Line("--seed"));
        Assert.Contains($"(default {CliDefaults.ModelPath})", Line("--model"));
    }

    [Theory]
    [InlineData("no such file", "train", "--data", "missing.csv", "--label", "Label")]
    [InlineData("is not in", "train", "--data", "@iris.csv", "--label", "Species")]
    [InlineData("comma-separated list of integers", "train", "--data", "@iris.csv", "--label", "Label", "--hidden", "10,x")]
    [InlineData("unknown option --bogus", "train", "--data", "@iris.csv", "--label", "Label", "--bogus", "1")]
    [InlineData("LearningRate", "train", "--data", "@iris.csv", "--label", "Label", "--learning-rate", "50")]
    [InlineData("unknown command", "frobnicate")]
    public void Mistakes_give_one_clear_line_and_a_non_zero_exit_code(string expected, params string[] args)
    {
        var run = Cli(args.Select(a => a.StartsWith('@') ? Data(a[1..]) : a).ToArray());

        Assert.NotEqual(0, run.ExitCode);
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expected == "no such file" ? "does not exist" : expected, lines[0]);
    }
}
