using System.CommandLine;
using System.CommandLine.Invocation;
using MLNetBackprop.Cli;

// mlp (mlnet-backprop): the main job (no arguments), training on your CSV, and scoring with a saved model.
var seed = new Option<int?>("--seed") { Description = $"split and initialisation seed of the main job (default {CliDefaults.Seed})" };
var root = new RootCommand("Multilayer perceptrons for ML.NET. Without a command: train and evaluate the default MLP on the shipped data sets.")
{
    seed,
    TrainCommand.Create(),
    PredictCommand.Create(),
};
root.SetAction(result => DemoCommand.Run(result.GetValue(seed) ?? CliDefaults.Seed));
try
{
    var parsed = root.Parse(args);
    if (parsed.Action is ParseErrorAction parseError)
        parseError.ShowHelp = false; // the error and the library's suggestions, not the whole help
    return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception ex) when (CliError.Describe(ex) is (string message, int exitCode))
{
    Console.Error.WriteLine(message);
    return exitCode;
}
