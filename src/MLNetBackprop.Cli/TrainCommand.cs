using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Microsoft.ML;
using Defaults = MLNetBackprop.MlpOptionsBase.Defaults;

namespace MLNetBackprop.Cli;

/// <summary>
/// <c>train</c>: trains on the user's CSV/TSV with live progress, prints how each column was used and the test metrics,
/// and saves the model. Ctrl+C stops after the current mini-batch and saves the best model so far and a checkpoint.
/// </summary>
internal static class TrainCommand
{
    private static readonly Option<string> Data = CommonOptions.Data("the training rows: a CSV/TSV file with a header row");
    private static readonly Option<string> Label = new("--label") { Description = "the column to predict", Required = true };
    private static readonly Option<string?> Task = new("--task")
    {
        HelpName = "binary|multiclass|regression",
        Validators = { OneOf("--task", "binary", "multiclass", "regression") },
        Description = $"binary, multiclass or regression (default: from the label: 2 values: binary; text: multiclass; integers with at most {CliDefaults.MaxInferredClasses} values, each in {CliDefaults.MinRowsPerInferredClass}+ rows: multiclass; other numbers: regression)",
    };
    private static readonly Option<string[]> Ignore = CommonOptions.Columns("--ignore", "columns to leave out, e.g. --ignore id,date");
    private static readonly Option<bool> ShowColumns = new("--show-columns") { Description = "print how each column would be used, and stop without training" };
    private static readonly Option<int[]?> Hidden = new("--hidden")
    {
        Description = $"hidden layer sizes, e.g. 128,64 (default {Defaults.HiddenLayerSize}; narrower for sparse rows such as text)",
        Arity = ArgumentArity.ExactlyOne,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            var parts = text.Split(',', StringSplitOptions.TrimEntries);
            var sizes = new int[parts.Length];
            for (var i = 0; i < parts.Length; i++)
                if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
                {
                    result.AddError($"--hidden must be a comma-separated list of integers of at least 1 (e.g. 128,64), not '{text}'");
                    return null;
                }
            return sizes;
        },
    };
    private static readonly Option<int?> Epochs = new("--epochs") { Description = $"maximum epochs (default automatic: at least {Defaults.AutomaticMinimumEpochs}, and enough for {Defaults.AutomaticMinimumUpdates} mini-batch updates; early stopping usually ends sooner)" };
    private static readonly Option<float?> LearningRate = new("--learning-rate") { Description = $"{Defaults.Optimizer} step size (default {Invariant(Defaults.LearningRate)}; {Invariant(Defaults.SparseLearningRate)} for sparse rows)" };
    private static readonly Option<int?> BatchSize = new("--batch-size") { Description = $"rows per mini-batch (default {Defaults.BatchSize})" };
    private static readonly Option<float?> TestFraction = new("--test-fraction")
    {
        Description = $"rows held out for evaluation (default {Invariant(CliDefaults.TestFraction)})",
        Validators = { r => { if (r.GetValueOrDefault<float?>() is { } x and (<= 0 or >= 1)) r.AddError($"--test-fraction must be between 0 and 1, not {Invariant(x)}"); } },
    };
    private static readonly Option<float?> ValidationFraction = new("--validation-fraction") { Description = $"training rows held out for validation and early stopping (default {Invariant(Defaults.ValidationFraction)}; {Invariant(Defaults.SparseValidationFraction)} for sparse rows; none below {Defaults.AutomaticValidationMinimumRows} rows)" };
    private static readonly Option<bool?> TrainOnHeldOutRows = new("--train-on-held-out-rows")
    {
        HelpName = "true|false",
        Description = $"after the validation rows pick the best epoch, go on from it on every row for a few epochs at a lowered rate (default: when the validation fraction is automatic and the rows are dense, up to {Defaults.TrainOnHeldOutRowsMaximumRows} rows, not with L-BFGS)",
    };
    private static readonly Option<float?> Tolerance = new("--tolerance") { Description = $"stop when the monitored loss improves by less than X for {Defaults.ValidationEpochsWithoutImprovement} epochs ({Defaults.EpochsWithoutImprovement} for sparse rows) (default {Invariant(Defaults.Tolerance)}; 0: never)" };
    private static readonly Option<string?> Preset = new("--preset")
    {
        HelpName = "default|scikit-learn",
        Validators = { OneOf("--preset", "default", "scikit-learn") },
        Description = "which defaults the automatic options take: default (the default: the model encodes and scales its inputs, early stopping from 100 rows) or scikit-learn (MLPClassifier's; the features are then min-max normalized)",
    };
    private static readonly Option<string?> Checkpoint = new("--checkpoint") { Description = $"save resumable training state there; rerunning the same command resumes from it (default: the model path + {CliDefaults.CheckpointSuffix}, deleted when training completes)" };
    private static readonly Option<int?> CheckpointEvery = new("--checkpoint-every") { Description = $"epochs between checkpoints (default {Defaults.CheckpointEveryEpochs})" };
    private static readonly Option<char?> Separator = CommonOptions.Separator();
    private static readonly Option<bool> SkipBadRows = CommonOptions.SkipBadRows();
    private static readonly Option<int?> Seed = new("--seed") { Description = $"split and initialisation seed (default {CliDefaults.Seed})" };
    private static readonly Option<string?> Model = new("--model") { Description = $"where to save the model (default {CliDefaults.ModelPath})" };
    private static readonly Option<bool> Distributed = new("--distributed") { Description = "train one model on all the processes of an MPI job (mpiexec -n 4 mlnet-backprop train ... --distributed; needs MPICH: apt-get install mpich); rank 0 alone prints and saves the model" };
    private static readonly Option<int?> GradientShards = new("--gradient-shards") { Description = "sum each batch's gradient from N parts (default: one per process); the model depends on N, not on the number of processes, which must divide N: N on one process gives the same model" };

    public static Command Create()
    {
        var command = new Command("train", "train an MLP on a CSV/TSV file, print the test metrics and save the model")
        {
            Data, Label, Task, Ignore, ShowColumns, Hidden, Epochs, LearningRate, BatchSize, TestFraction, ValidationFraction, TrainOnHeldOutRows, Tolerance,
            Preset, Checkpoint, CheckpointEvery, Separator, SkipBadRows, Seed, Model, Distributed, GradientShards,
        };
        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult options)
    {
        var modelPath = options.GetValue(Model) ?? CliDefaults.ModelPath;
        CheckModelPath(modelPath);
        var distributed = options.GetValue(Distributed);
        var request = new TrainingRequest(options.GetValue(Data)!, options.GetValue(Label)!, options.GetValue(Seed) ?? CliDefaults.Seed, modelPath)
        {
            Separator = options.GetValue(Separator),
            SkipBadRows = options.GetValue(SkipBadRows),
            Ignore = options.GetValue(Ignore) ?? [],
            Task = options.GetValue(Task) is { } task ? Enum.Parse<TaskKind>(task, ignoreCase: true) : null,
            ShowColumns = options.GetValue(ShowColumns),
            HiddenLayerSizes = options.GetValue(Hidden),
            Epochs = options.GetValue(Epochs),
            LearningRate = options.GetValue(LearningRate),
            BatchSize = options.GetValue(BatchSize),
            TestFraction = options.GetValue(TestFraction) ?? CliDefaults.TestFraction,
            Preset = options.GetValue(Preset) == "scikit-learn" ? MlpPreset.ScikitLearn : MlpPreset.Default,
            ValidationFraction = options.GetValue(ValidationFraction),
            TrainOnHeldOutRows = options.GetValue(TrainOnHeldOutRows),
            Tolerance = options.GetValue(Tolerance),
            // A checkpoint by default lets Ctrl+C resume; with MPI the user names it, as every rank must reach the same file.
            CheckpointPath = options.GetValue(Checkpoint) ?? (distributed ? null : modelPath + CliDefaults.CheckpointSuffix),
            CheckpointEveryEpochs = options.GetValue(CheckpointEvery),
            GradientShards = options.GetValue(GradientShards),
        };
        return distributed ? DistributedTraining.Run(request, Train) : Train(request);
    }

    // Before the data is read and trained on, so that a typo does not cost a training run.
    private static void CheckModelPath(string path)
    {
        if (Directory.Exists(path))
            throw new CliException($"--model '{path}' is a folder; give a file name such as {Path.Combine(path, CliDefaults.ModelPath)}");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
            throw new CliException($"--model '{path}': the folder '{folder}' does not exist; create it or save the model elsewhere");
    }

    /// <summary>Trains; alone or on rank 0 prints the report (the other ranks hold the same model and stay quiet).</summary>
    private static int Train(TrainingRequest request)
    {
        using var stop = new CancellationTokenSource();
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            if (stop.IsCancellationRequested)
                return; // a second Ctrl+C ends the process at once
            e.Cancel = true;
            Console.Error.WriteLine("\nstopping after the current mini-batch (Ctrl+C again to quit at once)");
            stop.Cancel();
        }
        Console.CancelKeyPress += OnCancel;
        var resuming = request.CheckpointPath is { } checkpoint && File.Exists(checkpoint) ? checkpoint : null;
        var display = new ProgressDisplay(resuming);
        TrainingOutcome? outcome;
        try
        {
            outcome = TrainingJob.Run(new MLContext(seed: request.Seed), request with { Cancellation = stop.Token }, display,
                request.IsRoot ? Console.Out : null);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
            display.Finish();
        }
        if (outcome is not null && request.IsRoot)
        {
            Report(outcome, request.ModelPath);
            if (outcome.Stopped)
                Console.WriteLine(request.CheckpointPath is { } path && File.Exists(path)
                    ? $"stopped by Ctrl+C after epoch {display.LastEpoch}: saved the best model so far; checkpoint '{path}' resumes the training when you run the same command again"
                    : $"stopped by Ctrl+C after epoch {display.LastEpoch}: saved the best model so far (no checkpoint was written)");
        }
        return 0;
    }

    private static void Report(TrainingOutcome outcome, string? modelPath)
    {
        Console.WriteLine($"task: {outcome.Task.ToString().ToLowerInvariant()}{(outcome.Note is null ? "" : $" ({outcome.Note})")}; " +
            $"{outcome.TrainRows} training rows, {outcome.TestRows} test rows; trained in {outcome.Seconds:F2} s");
        foreach (var (name, value) in outcome.Metrics)
            Console.WriteLine(double.IsFinite(value) ? $"  test {name,-16} {value,9:F4}" : $"  test {name,-16} n/a ({outcome.TestRows} test rows are too few)");
        if (outcome.Task == TaskKind.Regression && outcome.Metrics[0].Value > CliDefaults.NearPerfectRSquared)
            Console.WriteLine($"warning: a test R² of {outcome.Metrics[0].Value:F4} is nearly perfect; if some columns are derived from the label or known " +
                "only with it (such as parts of a total), leave them out with --ignore");
        Console.WriteLine($"model saved to {modelPath}");
    }

    private static Action<OptionResult> OneOf(string flag, params string[] values) => result =>
    {
        if (result.GetValueOrDefault<string?>() is { } value && !values.Contains(value))
            result.AddError($"{flag} must be {string.Join(", ", values[..^1])} or {values[^1]}, not '{value}'");
    };

    private static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
