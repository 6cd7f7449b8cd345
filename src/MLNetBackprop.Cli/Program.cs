using System.Globalization;
using MLNetBackprop;
using MLNetBackprop.Cli;
using Defaults = MLNetBackprop.MlpOptionsBase.Defaults;

// mlnet-backprop: the main job (no arguments), training on your CSV, and scoring with a saved model.
try
{
    return args switch
    {
        [] => DemoCommand.Run(CliDefaults.Seed),
        ["--seed", var seed] => DemoCommand.Run(ParseSeed(seed)),
        ["--help" or "-h" or "help", ..] => Usage(),
        ["train", .. var rest] => TrainCommand.Run(new CommandLine(rest)),
        ["predict", .. var rest] => PredictCommand.Run(new CommandLine(rest)),
        _ => throw new CliException($"unknown command '{args[0]}'; run with --help"),
    };
}
catch (CliException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}
catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or FormatException
    or TrainingDivergedException or UnauthorizedAccessException)
{
    // Library errors already say what is wrong and how to fix it: one line, no stack trace.
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}

static int ParseSeed(string text) => int.TryParse(text, out var seed) ? seed : throw new CliException($"--seed must be an integer, not '{text}'");

static int Usage()
{
    Console.WriteLine($"""
        mlnet-backprop                        train and evaluate the default MLP on the shipped data sets
        mlnet-backprop --seed N               the same with another split and initialisation

        mlnet-backprop train --data FILE --label COLUMN [options]
            --task binary|multiclass|regression   default: chosen from the label (2 values: binary; text: multiclass; numbers: regression)
            --hidden 128,64        hidden layer sizes (default {Defaults.HiddenLayerSize}; narrower for sparse rows such as text)
            --epochs N             maximum epochs (default automatic: at least {Defaults.AutomaticMinimumEpochs}, and enough for {Defaults.AutomaticMinimumUpdates} mini-batch updates)
            --learning-rate X      {Defaults.Optimizer} step size (default {Invariant(Defaults.LearningRate)}; {Invariant(Defaults.SparseLearningRate)} for sparse rows)
            --batch-size N         rows per mini-batch (default {Defaults.BatchSize})
            --test-fraction X      rows held out for evaluation (default {Invariant(CliDefaults.TestFraction)})
            --validation-fraction X  training rows held out for validation and early stopping (default {Invariant(Defaults.ValidationFraction)}; {Invariant(Defaults.SparseValidationFraction)} for sparse rows)
            --tolerance X          stop when the monitored loss improves by less than X for {Defaults.EpochsWithoutImprovement} epochs (default {Invariant(Defaults.Tolerance)}; 0: never)
            --checkpoint FILE      save resumable training state there; rerunning the same command resumes from it
            --checkpoint-every N   epochs between checkpoints (default {Defaults.CheckpointEveryEpochs})
            --separator C          column separator (default: tab for .tsv, else comma)
            --seed N               split and initialisation seed (default {CliDefaults.Seed})
            --model FILE           where to save the model (default {CliDefaults.ModelPath})

        mlnet-backprop predict --model FILE --data FILE [--output FILE] [--separator C]
            scores every row of the data file (which needs the feature columns, not the label) and writes
            the predictions as tab-separated text to --output or the console
        """);
    return 0;
}

static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
