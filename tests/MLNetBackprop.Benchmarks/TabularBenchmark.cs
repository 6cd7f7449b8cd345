using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// The tabular suite (issue 19, bench/tabular.sh): on each data set of bench/tabular-data.sh's manifest, every system
/// fitted on each seed's split (<see cref="TabularSplit"/>), timed, and scored on the test rows: one TABULAR line per
/// fit. Each system first fits once untimed (a TABULAR_WARMUP line with that cold fit's time), so that no system's
/// figures carry the process's one-off costs (JIT, loading native libraries); then the seeds run one after the other,
/// every system within each, so a busy spell on the host falls on all systems alike. A fit that fails prints its line
/// with <c>error=</c> and the run goes on.
/// </summary>
internal static class TabularBenchmark
{
    public const string Usage = $"tabular <data dir> <dataset|all> <{TabularSystems.Names}|all> <seeds, e.g. 1,2,3>";

    /// <returns>0 when every fit succeeded, 1 when one failed, 2 for arguments that name nothing to run.</returns>
    public static int Run(string[] args)
    {
        if (args.Length != 4)
        {
            Console.Error.WriteLine($"usage: {Usage}");
            return 2;
        }
        var datasets = TabularDataset.ReadManifest(args[0]).Where(d => args[1] == "all" || d.Name == args[1]).ToList();
        var systems = args[2] == "all" ? TabularSystems.All : [args[2]];
        var seeds = args[3].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        if (datasets.Count == 0 || systems.Any(s => !TabularSystems.All.Contains(s)))
        {
            Console.Error.WriteLine($"No data set '{args[1]}' in {args[0]}/manifest.tsv, or no system '{args[2]}': usage: {Usage}");
            return 2;
        }
        var failures = 0;
        foreach (var dataset in datasets)
        {
            var splits = seeds.Select(seed => TabularSplit.Prepare(dataset, seed)).ToList();
            foreach (var system in systems)
                FitAndScore(splits[0], system, warmup: true);
            foreach (var split in splits)
                foreach (var system in systems)
                    failures += FitAndScore(split, system, warmup: false) ? 0 : 1;
        }
        return failures == 0 ? 0 : 1;
    }

    private static bool FitAndScore(TabularSplit split, string system, bool warmup)
    {
        // A context of its own for each fit: the trainers draw from the context's random state, so a system's result
        // must not depend on which systems fitted before it.
        var ml = new MLContext(split.Seed);
        var dataset = split.Dataset;
        var line = $"{(warmup ? "TABULAR_WARMUP" : "TABULAR")} dataset={dataset.Name} " +
            $"task={dataset.Task.ToString().ToLowerInvariant()} rows={dataset.Rows} train_rows={split.TrainRows} " +
            $"features={split.FeatureCount} density={split.Density:F3} system={system} seed={split.Seed}";
        var clock = Stopwatch.StartNew();
        try
        {
            var model = TabularSystems.Estimator(ml, dataset.Task, system).Fit(split.Train);
            var fitSeconds = clock.Elapsed.TotalSeconds;
            var score = warmup ? "" : Score(ml, dataset.Task, model.Transform(split.Test));
            Console.WriteLine($"{line}{score} fit_s={fitSeconds:F3}{MlpShape(model)}");
            return true;
        }
        catch (Exception e)
        {
            // A system that cannot fit or score this data is a result too, whatever it throws (ML.NET's checks, our
            // TrainingDivergedException, a native library's error): the summary counts it as the worst score.
            Console.WriteLine($"{line} error={e.GetType().Name} fit_s={clock.Elapsed.TotalSeconds:F3}");
            Console.Error.WriteLine(e);
            return false;
        }
    }

    private static string Score(MLContext ml, TabularTask task, IDataView predictions)
    {
        var score = TabularScore.Evaluate(ml, task, predictions);
        return FormattableString.Invariant($" metric={score.Metric} score={score.Score:F4} {score.Secondary}");
    }

    // Our trainer's own choices, which explain a score: the epochs it ran and its layer widths.
    private static string MlpShape(ITransformer model)
    {
        var last = model is IEnumerable<ITransformer> chain ? chain.Last() : model;
        return (last as IPredictionTransformer<object>)?.Model switch
        {
            MlpModelParametersBase<float> mlp => Shape(mlp.TrainingHistory.Count, mlp.LayerSizes),
            MlpModelParametersBase<VBuffer<float>> mlp => Shape(mlp.TrainingHistory.Count, mlp.LayerSizes),
            _ => "",
        };
    }

    private static string Shape(int epochs, IReadOnlyList<int> layers) => $" epochs={epochs} layers={string.Join('x', layers)}";
}
