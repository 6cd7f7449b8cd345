using System.Globalization;
using MLNetBackprop.Cli;
using MLNetBackprop.Tests.Mpi;
using MLNetBackprop.Tests.TestSupport;
using Defaults = MLNetBackprop.MlpOptionsBase.Defaults;

namespace MLNetBackprop.Tests.Cli;

/// <summary>The command-line tool, run as a user runs it: its own process, real files, exit codes.</summary>
[Collection(MLNetBackprop.Tests.Mpi.MpiJob.Collection)] // one of its tests runs an mpiexec job
public class CommandLineToolTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string CliProject = CliProcess.Project;
    private const string CliAssembly = CliProcess.Assembly;

    private static BuiltProgram.Result Cli(params string[] args) => CliProcess.Run(args);

    private static string Data(string file) => CliProcess.Data(file);

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
        Assert.Equal(["PredictedLabel", "Score:class_0", "Score:class_1", "Score:class_2"], lines[0].Split('\t'));
    }

    [Fact]
    public void The_main_job_prints_the_metric_of_each_shipped_data_set()
    {
        var run = Cli().Succeeded();

        Assert.Contains(run.Output.Split('\n'), l => l.StartsWith("digits         multiclass", StringComparison.Ordinal) && l.Contains("accuracy", StringComparison.Ordinal));
        Assert.Contains(run.Output.Split('\n'), l => l.StartsWith("breast cancer  binary", StringComparison.Ordinal) && l.Contains("AUC", StringComparison.Ordinal));
        Assert.Contains(run.Output.Split('\n'), l => l.StartsWith("diabetes       regression", StringComparison.Ordinal) && l.Contains("R²", StringComparison.Ordinal));
    }

    [Fact]
    public void Redirected_output_gets_plain_progress_lines_not_a_live_bar()
    {
        var run = Cli("train", "--data", Data("iris.csv"), "--label", "Label", "--epochs", "30", "--model", Path.Combine(_folder, "m.zip"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("epoch    1/30", run.Output);
        Assert.Contains("s left", run.Output.Split('\n').First(l => l.StartsWith("epoch", StringComparison.Ordinal)));
        Assert.Contains("  up to ", run.Output); // the epochs are a limit: early stopping may end the run sooner
        Assert.DoesNotContain("\r", run.Output);
    }

    [Fact]
    public void Distributed_training_on_two_processes_prints_once_and_gives_the_one_process_model_with_the_same_shards()
    {
        string[] training = ["train", "--data", Data("iris.csv"), "--label", "Label", "--epochs", "30", "--batch-size", "32",
            "--gradient-shards", "2"];
        var alone = Path.Combine(_folder, "alone.zip");
        var together = Path.Combine(_folder, "together.zip");

        var single = Cli([.. training, "--model", alone]);
        var job = MpiJob.Run(2, CliProject, CliAssembly, [.. training, "--model", together, "--distributed"], TimeSpan.FromSeconds(120));

        Assert.True(single.ExitCode == 0, single.Output + single.Error);
        Assert.True(job.ExitCode == 0, job.ToString());
        Assert.True(File.Exists(together), job.ToString());
        // Rank 0 alone prints; rank 1 says nothing at all.
        var lines = job.Output.Split('\n');
        Assert.Single(lines, l => l.StartsWith("epoch    1/30", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("model saved to", StringComparison.Ordinal));
        Assert.True(job.Error.Length == 0, job.ToString());
        // The saved zips hold their entries' write times, so the models are compared by what they predict.
        Assert.Equal(Predictions(alone), Predictions(together));
    }

    private static string Predictions(string model)
    {
        var run = Cli("predict", "--model", model, "--data", Data("iris.csv"));
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        return run.Output;
    }

    [Fact]
    public void Train_help_shows_every_default_from_the_constants_that_set_it()
    {
        var run = Cli("train", "--help");

        Assert.Equal(0, run.ExitCode);
        string Line(string option) => Assert.Single(run.Output.Split('\n'), l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal));
        static string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
        Assert.Contains($"(default {Text(Defaults.HiddenLayerSize)}; narrower for sparse rows", Line("--hidden"));
        Assert.Contains($"at least {Text(Defaults.AutomaticMinimumEpochs)}", Line("--epochs"));
        Assert.Contains($"{Text(Defaults.AutomaticMinimumUpdates)} mini-batch updates", Line("--epochs"));
        Assert.Contains($"{Defaults.Optimizer} step size (default {Text(Defaults.LearningRate)}; {Text(Defaults.SparseLearningRate)} for sparse rows)", Line("--learning-rate"));
        Assert.Contains($"(default {Text(Defaults.BatchSize)})", Line("--batch-size"));
        Assert.Contains($"(default {Text(CliDefaults.TestFraction)})", Line("--test-fraction"));
        Assert.Contains($"(default {Text(Defaults.ValidationFraction)}; {Text(Defaults.SparseValidationFraction)} for sparse rows;", Line("--validation-fraction"));
        Assert.Contains($"up to {Text(Defaults.TrainOnHeldOutRowsMaximumRows)} rows,", Line("--train-on-held-out-rows"));
        Assert.Contains($"for {Text(Defaults.ValidationEpochsWithoutImprovement)} epochs ({Text(Defaults.EpochsWithoutImprovement)} for sparse rows) (default {Text(Defaults.Tolerance)};", Line("--tolerance"));
        Assert.Contains($"(default {Text(Defaults.CheckpointEveryEpochs)})", Line("--checkpoint-every"));
        Assert.Contains($"(default {Text(CliDefaults.Seed)})", Line("--seed"));
        Assert.Contains($"(default {CliDefaults.ModelPath})", Line("--model"));
        Assert.Contains("mpiexec -n 4 mlnet-backprop train ... --distributed", Line("--distributed"));
        Assert.Contains("the model depends on N,", Line("--gradient-shards"));
    }

    [Fact]
    public void Every_command_has_help_and_the_tool_has_a_version()
    {
        var predict = Cli("predict", "--help").Succeeded();
        var version = Cli("--version").Succeeded();

        Assert.Contains("--keep", predict.Output);
        Assert.Contains("--model", predict.Output);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Output.Trim());
    }

    [Theory]
    [InlineData("does not exist", "train", "--data", "missing.csv", "--label", "Label")]
    [InlineData("is not a column of", "train", "--data", "@iris.csv", "--label", "Species")]
    [InlineData("did you mean 'Label'? (names are case-sensitive)", "train", "--data", "@iris.csv", "--label", "label")]
    [InlineData("--learning-rate is 50", "train", "--data", "@iris.csv", "--label", "Label", "--learning-rate", "50")]
    public void Mistakes_give_one_clear_line_and_a_non_zero_exit_code(string expected, params string[] args)
    {
        var run = Cli(args.Select(a => a.StartsWith('@') ? Data(a[1..]) : a).ToArray());

        run.FailedWith(expected);
    }

    [Theory]
    [InlineData("--hidden must be a comma-separated list of integers of at least 1", "--hidden", "10,x")]
    [InlineData("--hidden must be a comma-separated list of integers of at least 1", "--hidden", "0")]
    [InlineData("'--bogus'", "--bogus", "1")]
    [InlineData("'yes'", "--distributed", "yes")]
    [InlineData("--task must be binary, multiclass or regression, not 'clustering'", "--task", "clustering")]
    [InlineData("--preset must be default or scikit-learn, not 'keras'", "--preset", "keras")]
    public void Command_line_mistakes_name_the_flag_and_fail(string expected, params string[] flags)
    {
        var run = Cli(["train", "--data", Data("iris.csv"), "--label", "Label", .. flags]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(expected, run.Error);
        Assert.DoesNotContain("epoch", run.Output);
    }

    [Fact]
    public void A_misspelt_option_gets_a_suggestion_from_the_parser()
    {
        var run = Cli("train", "--data", Data("iris.csv"), "--label", "Label", "--hiden", "8");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("'--hiden'", run.Error);
        Assert.Contains("Did you mean", run.Output);
        Assert.Contains(run.Output.Split('\n'), line => line.Trim() == "--hidden");
    }

    [Fact]
    public void An_unknown_command_fails()
    {
        var run = Cli("frobnicate");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("'frobnicate'", run.Error);
    }

    [Fact]
    public void Ctrl_c_saves_the_best_model_and_a_checkpoint_that_the_same_command_resumes()
    {
        var model = Path.Combine(_folder, "digits.zip");
        // Small batches and no early stopping: long enough to be interrupted after its first epoch.
        string[] training = ["train", "--data", Data("digits.csv"), "--label", "Label", "--epochs", "1000", "--tolerance", "0",
            "--batch-size", "4", "--hidden", "32", "--model", model];

        Assert.False(InterruptIsIgnoredHere(), "SIGINT is ignored in the test process (started under nohup or as a background job of a " +
            "non-interactive shell), and the tool inherits that, as a program started with nohup should; run the tests in the foreground.");
        var first = Interrupt(training, "epoch ");
        var second = Interrupt(training, "resuming from checkpoint");

        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Contains("stopping after the current mini-batch", first.Error);
        var stopped = Assert.Single(first.Output.Split('\n'), l => l.StartsWith("stopped by Ctrl+C after epoch ", StringComparison.Ordinal));
        var epoch = int.Parse(stopped["stopped by Ctrl+C after epoch ".Length..].Split(':')[0], CultureInfo.InvariantCulture);
        Assert.Contains($"checkpoint '{model}.checkpoint' resumes the training", stopped);
        Assert.Contains($"resuming from checkpoint '{model}.checkpoint' after epoch {epoch}", second.Output);
        Assert.True(second.ExitCode == 0, second.Output + second.Error);
        Assert.True(File.Exists(model));
    }

    // Whether this process ignores SIGINT (bit 1 of SigIgn in /proc/self/status), which a child process inherits.
    private static bool InterruptIsIgnoredHere()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 0b10) != 0;
    }

    // Runs the tool until a line starting with the text appears, then sends it SIGINT (Ctrl+C) and waits for it to end.
    private static BuiltProgram.Result Interrupt(string[] args, string startOfLine)
    {
        using var process = BuiltProgram.Start(CliProject, CliAssembly, args);
        var error = process.StandardError.ReadToEndAsync();
        var output = new System.Text.StringBuilder();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            output.AppendLine(line);
            if (line.StartsWith(startOfLine, StringComparison.Ordinal))
                break;
        }
        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        output.Append(process.StandardOutput.ReadToEnd());
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the tool did not stop within a minute of Ctrl+C: {output}");
        }
        return new BuiltProgram.Result(process.ExitCode, output.ToString(), error.Result);
    }
}
