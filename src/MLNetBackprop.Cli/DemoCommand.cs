using System.Globalization;
using Microsoft.ML;

namespace MLNetBackprop.Cli;

/// <summary>
/// The main job: trains the default MLP on each data set shipped in data/ (80/20 split)
/// and prints one table of held-out metrics.
/// </summary>
internal static class DemoCommand
{
    private static readonly (string File, string Name, TaskKind Task)[] DataSets =
    [
        ("digits.csv", "digits", TaskKind.Multiclass),
        ("breast_cancer.csv", "breast cancer", TaskKind.Binary),
        ("diabetes.csv", "diabetes", TaskKind.Regression),
    ];

    public static int Run(int seed)
    {
        var folder = FindDataFolder();
        Console.WriteLine($"MLNetBackprop: the default MLP (one hidden layer of {MlpOptionsBase.Defaults.HiddenLayerSize} ReLU units, Adam {MlpOptionsBase.Defaults.LearningRate.ToString(CultureInfo.InvariantCulture)}) on the shipped data, seed {seed}");
        Console.WriteLine();
        Console.WriteLine($"{"data set",-14} {"task",-11} {"train",6} {"test",5}  {"test metric",-16} {"value",7} {"seconds",8}");
        foreach (var (file, name, task) in DataSets)
        {
            var ml = new MLContext(seed: seed);
            var request = new TrainingRequest(Path.Combine(folder, file), "Label", seed, ModelPath: null) { Task = task };
            var outcome = TrainingJob.Run(ml, request, progress: null, log: null)!;
            var (metric, value) = outcome.Metrics[0];
            Console.WriteLine($"{name,-14} {task.ToString().ToLowerInvariant(),-11} {outcome.TrainRows,6} {outcome.TestRows,5}  {metric,-16} {value,7:F4} {outcome.Seconds,8:F2}");
        }
        return 0;
    }

    /// <summary>data/ above the working directory or the program's folder.</summary>
    private static string FindDataFolder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "data", "digits.csv")))
                    return Path.Combine(dir.FullName, "data");
        throw new CliException("the data/ folder with the shipped data sets was not found; run from the repository");
    }
}
