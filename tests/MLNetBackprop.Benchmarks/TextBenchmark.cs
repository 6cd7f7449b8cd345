using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// Text classification on the Debian package descriptions (issue 13): the standard ML.NET text pipeline with one
/// trainer, fitted on 80% of the packages and evaluated on the rest. Run one system per process, so the peak memory
/// printed is that system's alone; <c>featurize</c> fits the featurization without a trainer, for its share of the
/// fit time.
/// </summary>
internal static class TextBenchmark
{
    public const string Systems = "mlp|sdca|lightgbm|featurize";

    private const int WarmupPredictions = 200;
    private const int TimedPredictions = 2000;

    private sealed class Prediction
    {
        public float[] Score { get; set; } = [];
    }

    /// <summary>Fits, evaluates and times <paramref name="system"/> and prints its TEXT line.</summary>
    /// <returns>False when the fit failed (the line then says how).</returns>
    public static bool Run(string path, string system)
    {
        var ml = new MLContext(seed: 1);
        var (data, rowCount, quotedFields) = DebianPackages.Load(ml, path);
        var split = DebianPackages.Split(ml, data);
        Console.WriteLine($"TEXT_DATA rows={rowCount} classes={DebianPackages.Classes} quoted_fields={quotedFields}");
        if (system == "featurize")
        {
            RunFeaturization(ml, split);
            return true;
        }
        var pipeline = DebianPackages.Featurize(ml).Append(Trainer(ml, system));

        // Loading and the check above leave garbage behind; collecting it keeps it out of the fit's growth.
        GC.Collect();
        var residentBefore = ProcessMemory.ResidentMb();
        var peakBefore = ProcessMemory.PeakResidentMb();
        var clock = Stopwatch.StartNew();
        TransformerChain<ITransformer> model;
        try
        {
            model = pipeline.Fit(split.TrainSet);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OutOfMemoryException)
        {
            // A system that cannot fit this data is a result too: the line says how long it took to fail and the
            // memory it had reached.
            Console.WriteLine($"TEXT system={system} failed={e.GetType().Name} fit_s={clock.Elapsed.TotalSeconds:F2} " +
                $"peak_mb={ProcessMemory.PeakResidentMb():F0} rss_before_mb={residentBefore:F0} hwm_before_mb={peakBefore:F0}");
            Console.Error.WriteLine(e);
            return false;
        }
        var fitSeconds = clock.Elapsed.TotalSeconds;
        var peak = ProcessMemory.PeakResidentMb();

        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
        var modelFile = Path.GetTempFileName();
        long modelBytes;
        try
        {
            ml.Model.Save(model, data.Schema, modelFile);
            modelBytes = new FileInfo(modelFile).Length;
        }
        finally
        {
            File.Delete(modelFile);
        }
        var (median, p99) = PredictionLatency(ml, model, split.TestSet);
        // After every measurement: the featurized rows are only read here to size the data the trainer was given.
        var features = DebianPackages.ReadFeatures(model.Transform(split.TrainSet));
        // Only our trainer says how many epochs its fit ran (it stops early once the loss no longer improves).
        var epochs = model.LastTransformer is MulticlassPredictionTransformer<MlpMulticlassModelParameters> mlp
            ? $" epochs={mlp.Model.TrainingHistory.Count}" : "";
        Console.WriteLine(string.Join(' ',
            $"TEXT system={system} fit_s={fitSeconds:F2}{epochs}",
            $"peak_mb={peak:F0} rss_before_mb={residentBefore:F0} hwm_before_mb={peakBefore:F0}",
            $"macro_acc={metrics.MacroAccuracy:F4} micro_acc={metrics.MicroAccuracy:F4}",
            $"model_mb={modelBytes / 1048576.0:F2} latency_us={median:F1} latency_p99_us={p99:F1}",
            Shape(features)));
        return true;
    }

    private static IEstimator<ITransformer> Trainer(MLContext ml, string system) => system switch
    {
        "mlp" => ml.MulticlassClassification.Trainers.Mlp(),
        "sdca" => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(),
        "lightgbm" => ml.MulticlassClassification.Trainers.LightGbm(),
        _ => throw new ArgumentException($"Unknown system '{system}': expected {Systems} or dense-epoch.", nameof(system)),
    };

    // The featurization alone, cold in its own process like the systems: its fit (the dictionaries) and then one
    // pass that produces the Features column, which every trainer's fit also pays for before it starts.
    private static void RunFeaturization(MLContext ml, DataOperationsCatalog.TrainTestData split)
    {
        GC.Collect();
        var residentBefore = ProcessMemory.ResidentMb();
        var peakBefore = ProcessMemory.PeakResidentMb();
        var clock = Stopwatch.StartNew();
        var featurizer = DebianPackages.Featurize(ml).Fit(split.TrainSet);
        var fitSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var features = DebianPackages.ReadFeatures(featurizer.Transform(split.TrainSet));
        var passSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Join(' ',
            $"TEXT system=featurize fit_s={fitSeconds:F2} pass_s={passSeconds:F2}",
            $"peak_mb={ProcessMemory.PeakResidentMb():F0} rss_before_mb={residentBefore:F0} hwm_before_mb={peakBefore:F0}",
            Shape(features)));
    }

    /// <summary>Median and 99th percentile µs of one PredictionEngine call, cycling through the test rows.</summary>
    private static (double Median, double P99) PredictionLatency(MLContext ml, ITransformer model, IDataView test)
    {
        var rows = ml.Data.CreateEnumerable<DebianPackages.Row>(test, reuseRowObject: false).ToList();
        var engine = ml.Model.CreatePredictionEngine<DebianPackages.Row, Prediction>(model);
        var output = new Prediction();
        for (var i = 0; i < WarmupPredictions; i++)
            engine.Predict(rows[i % rows.Count], ref output);
        var latencies = new double[TimedPredictions];
        for (var i = 0; i < latencies.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            engine.Predict(rows[i % rows.Count], ref output);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(latencies);
        return (latencies[latencies.Length / 2], latencies[latencies.Length * 99 / 100]);
    }

    /// <summary>Rows, width, non-zeros and the two storage sizes: CSR (8 bytes a non-zero, 4 a row) and dense float32.</summary>
    public static string Shape(SparseFeatures features)
    {
        var rows = features.Targets.Length;
        var csrMb = (features.Values.Length * 8.0 + rows * 4.0) / 1048576;
        var denseMb = (double)rows * features.Width * 4 / 1048576;
        return $"rows={rows} features={features.Width} nnz={features.Values.Length} csr_mb={csrMb:F1} dense_mb={denseMb:F0}";
    }
}
