using Microsoft.ML;

namespace MLNetBackprop.Cli;

/// <summary><c>train</c>: trains on the user's CSV/TSV with live progress, prints the test metrics and saves the model.</summary>
internal static class TrainCommand
{
    public static int Run(CommandLine options)
    {
        var table = CsvTable.Inspect(options.RequiredText("data"), Separator(options));
        var request = new TrainingRequest(
            table,
            options.RequiredText("label"),
            ParseTask(options.Text("task")),
            options.IntegerList("hidden"),
            options.Integer("epochs"),
            options.Number("learning-rate"),
            options.Integer("batch-size"),
            options.Number("test-fraction") ?? (float)CliDefaults.TestFraction, // parsed as float, like the option
            options.Integer("seed") ?? CliDefaults.Seed,
            options.Text("model") ?? CliDefaults.ModelPath)
        {
            ValidationFraction = options.Number("validation-fraction"),
            Tolerance = options.Number("tolerance"),
            CheckpointPath = options.Text("checkpoint"),
            CheckpointEveryEpochs = options.Integer("checkpoint-every"),
        };
        options.RejectUnknown();
        if (request.TestFraction is <= 0 or >= 1)
            throw new CliException($"--test-fraction must be between 0 and 1, not {request.TestFraction}");

        var display = new ProgressDisplay();
        TrainingOutcome outcome;
        try
        {
            outcome = TrainingJob.Run(new MLContext(seed: request.Seed), request, display);
        }
        finally
        {
            display.Finish();
        }
        Console.WriteLine($"task: {outcome.Task.ToString().ToLowerInvariant()}{(outcome.Note is null ? "" : $" ({outcome.Note})")}; " +
            $"{outcome.TrainRows} training rows, {outcome.TestRows} test rows; trained in {outcome.Seconds:F2} s");
        foreach (var (name, value) in outcome.Metrics)
            Console.WriteLine($"  test {name,-16} {value,9:F4}");
        Console.WriteLine($"model saved to {request.ModelPath}");
        return 0;
    }

    internal static char? Separator(CommandLine options) => options.Text("separator") switch
    {
        null => null,
        "\\t" or "tab" => '\t',
        { Length: 1 } one => one[0],
        var other => throw new CliException($"--separator must be one character (or 'tab'), not '{other}'"),
    };

    private static TaskKind? ParseTask(string? text) => text switch
    {
        null => null,
        "binary" => TaskKind.Binary,
        "multiclass" => TaskKind.Multiclass,
        "regression" => TaskKind.Regression,
        _ => throw new CliException($"--task must be binary, multiclass or regression, not '{text}'"),
    };
}
