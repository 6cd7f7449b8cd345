using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// The multi-target comparison (bench/multi_target.py): for each split its manifest lists (name, task, seed, feature
/// count, label count), trains Mlp() with its defaults on the split's training CSV (features, then the labels) and
/// writes its predictions for the test CSV, one row each: the targets for regression, each label's probability for
/// multi-label; then the same with <c>ValidationFraction = 0</c> (no hold-out, every row trains). The Python side
/// scores them with scikit-learn's metrics, beside scikit-learn's own MLPs.
/// </summary>
internal static class MultiTargetBenchmark
{
    public const string Usage = "multitarget <split dir>";

    public static int Run(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine($"usage: {Usage}");
            return 2;
        }
        var folder = args[0];
        foreach (var line in File.ReadAllLines(Path.Combine(folder, "manifest.tsv")).Skip(1))
        {
            var fields = line.Split('\t');
            var (name, task, seed) = (fields[0], fields[1], int.Parse(fields[2], CultureInfo.InvariantCulture));
            var (features, labels) = (int.Parse(fields[3], CultureInfo.InvariantCulture), int.Parse(fields[4], CultureInfo.InvariantCulture));
            foreach (var (suffix, validationFraction) in new[] { ("mlp", (float?)null), ("mlp-noval", 0f) })
            {
                var started = DateTime.UtcNow;
                var predictions = Predict(Path.Combine(folder, name), task, seed, features, labels, validationFraction);
                File.WriteAllLines(Path.Combine(folder, $"{name}-{suffix}.csv"),
                    predictions.Select(row => string.Join(",", row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FIT split={name} system={suffix} seconds={(DateTime.UtcNow - started).TotalSeconds:F2}"));
            }
        }
        return 0;
    }

    private static List<float[]> Predict(string prefix, string task, int seed, int features, int labels, float? validationFraction)
    {
        var ml = new MLContext(seed: seed);
        var loader = ml.Data.CreateTextLoader(
        [
            new TextLoader.Column("Features", DataKind.Single, 0, features - 1),
            new TextLoader.Column("Label", DataKind.Single, features, features + labels - 1),
        ], separatorChar: ',', hasHeader: true);
        var (train, test) = (loader.Load($"{prefix}-train.csv"), loader.Load($"{prefix}-test.csv"));
        string output;
        ITransformer model;
        if (task == "regression")
        {
            model = ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options { ValidationFraction = validationFraction }).Fit(train);
            output = "Score";
        }
        else
        {
            var toBool = ml.Transforms.Conversion.ConvertType("Label", outputKind: DataKind.Boolean);
            model = toBool.Append(ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options { ValidationFraction = validationFraction })).Fit(train);
            output = "Probability";
        }
        return model.Transform(test).GetColumn<float[]>(output).ToList();
    }
}
