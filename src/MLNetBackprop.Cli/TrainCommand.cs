using Microsoft.ML;

namespace MLNetBackprop.Cli;

/// <summary><c>train</c>: trains on the user's CSV/TSV with live progress, prints the test metrics and saves the model.</summary>
internal static class TrainCommand
{
    public static int Run(CommandLine options)
    {
        var request = ReadRequest(options);
        var distributed = options.Flag("distributed");
        options.RejectUnknown();
        if (request.TestFraction is <= 0 or >= 1)
            throw new CliException($"--test-fraction must be between 0 and 1, not {request.TestFraction}");
        return distributed ? DistributedTraining.Run(request, Train) : Train(request);
    }

    private static TrainingRequest ReadRequest(CommandLine options)
    {
        var table = CsvTable.Inspect(options.RequiredText("data"), Separator(options));
        return new TrainingRequest(
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
            GradientShards = options.Integer("gradient-shards"),
        };
    }

    /// <summary>Trains; alone or on rank 0 prints the report (the other ranks hold the same model and stay quiet).</summary>
    private static int Train(TrainingRequest request)
    {
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
        if (request.IsRoot)
            Report(outcome, request.ModelPath);
        return 0;
    }

    private static void Report(TrainingOutcome outcome, string? modelPath)
    {
        Console.WriteLine($"task: {outcome.Task.ToString().ToLowerInvariant()}{(outcome.Note is null ? "" : $" ({outcome.Note})")}; " +
            $"{outcome.TrainRows} training rows, {outcome.TestRows} test rows; trained in {outcome.Seconds:F2} s");
        foreach (var (name, value) in outcome.Metrics)
            Console.WriteLine($"  test {name,-16} {value,9:F4}");
        Console.WriteLine($"model saved to {modelPath}");
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
