using System.Globalization;
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
catch (Exception ex) when (CliError.Describe(ex) is (string message, int exitCode))
{
    Console.Error.WriteLine(message);
    return exitCode;
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
            --validation-fraction X  training rows held out for validation and early stopping (default {Invariant(Defaults.ValidationFraction)}; {Invariant(Defaults.SparseValidationFraction)} for sparse rows; none below {Defaults.AutomaticValidationMinimumRows} rows)
            --tolerance X          stop when the monitored loss improves by less than X for {Defaults.ValidationEpochsWithoutImprovement} epochs ({Defaults.EpochsWithoutImprovement} for sparse rows) (default {Invariant(Defaults.Tolerance)}; 0: never)
            --checkpoint FILE      save resumable training state there; rerunning the same command resumes from it
            --checkpoint-every N   epochs between checkpoints (default {Defaults.CheckpointEveryEpochs})
            --separator C          column separator (default: tab for .tsv, else comma)
            --seed N               split and initialisation seed (default {CliDefaults.Seed})
            --model FILE           where to save the model (default {CliDefaults.ModelPath})
            --distributed          train one model on all the processes of an MPI job (mpiexec -n 4 mlnet-backprop train ... --distributed;
                                   needs MPICH: apt-get install mpich); rank 0 alone prints and saves the model
            --gradient-shards N    sum each batch's gradient from N parts (default: one per process); the model depends on N,
                                   not on the number of processes, which must divide N: N on one process gives the same model

        mlnet-backprop predict --model FILE --data FILE [--output FILE] [--separator C]
            scores every row of the data file (which needs the feature columns, not the label) and writes
            the predictions as tab-separated text to --output or the console
        """);
    return 0;
}

static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
