using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// Scoring of a 784-128-10 model: single-row latency and batch throughput through ML.NET (PredictionEngine,
/// Transform), and of the same model exported with ConvertToOnnx, through ONNX Runtime's InferenceSession and through
/// ML.NET's ApplyOnnxModel.
/// </summary>
internal static class ScoringBenchmark
{
    private const int WarmupRows = 2000;
    private const int TimedRows = 20000;
    private const int BatchRepeats = 5;

    private sealed class Row
    {
        [VectorType(FashionMnist.Pixels)] public float[] Features { get; set; } = [];
        public uint Label { get; set; }
    }

    private sealed class Prediction
    {
        public float[] Score { get; set; } = [];
    }

    public static void Run(string dataDirectory)
    {
        var (testX, testY) = FashionMnist.Load(dataDirectory, "t10k");
        var rows = new Row[testY.Length];
        for (var r = 0; r < rows.Length; r++)
            rows[r] = new Row { Features = testX.AsSpan(r * FashionMnist.Pixels, FashionMnist.Pixels).ToArray(), Label = (uint)testY[r] };
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.Mlp(hiddenLayerSizes: [128], numberOfEpochs: 1));
        var model = pipeline.Fit(data);
        Report("mlnetbackprop", ml, model, data, rows);

        // The export keeps only Score, so neither ONNX route copies the inputs through to outputs.
        var onnxPath = Path.Combine(Path.GetTempPath(), $"mlp-scoring-{Environment.ProcessId}.onnx");
        try
        {
            using (var stream = File.Create(onnxPath))
                ml.Model.ConvertToOnnx(model, data, stream, "Score");
            Report("onnx-applyonnxmodel", ml, ml.Transforms.ApplyOnnxModel(onnxPath).Fit(data), data, rows);
            ReportOnnxRuntime(onnxPath, testX, testY);
        }
        finally
        {
            File.Delete(onnxPath);
        }
    }

    // PredictionEngine one row at a time, then Transform with a cursor over Score, best of BatchRepeats.
    private static void Report(string system, MLContext ml, ITransformer model, IDataView data, Row[] rows)
    {
        var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model);
        var output = new Prediction();
        var latencies = Latencies(i => engine.Predict(rows[i % rows.Length], ref output));

        var best = double.MaxValue;
        for (var repeat = 0; repeat < BatchRepeats; repeat++)
        {
            var start = Stopwatch.GetTimestamp();
            var scored = model.Transform(data);
            using var cursor = scored.GetRowCursor(scored.Schema.Where(c => c.Name == "Score"));
            var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
            var score = default(VBuffer<float>);
            while (cursor.MoveNext())
                getter(ref score);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        Print(system, latencies, rows.Length / best);
    }

    // An InferenceSession: one row per Run with one intra-op thread (the usual latency setting), then all rows in one
    // Run with ONNX Runtime's default threads, best of BatchRepeats.
    private static void ReportOnnxRuntime(string onnxPath, float[] pixels, float[] labels)
    {
        var rowCount = labels.Length;
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using (var session = new InferenceSession(onnxPath, options))
        {
            var features = new DenseTensor<float>([1, FashionMnist.Pixels]);
            var label = new DenseTensor<uint>([1, 1]);
            var inputs = new[] { NamedOnnxValue.CreateFromTensor("Features", features), NamedOnnxValue.CreateFromTensor("Label", label) };
            var latencies = Latencies(i =>
            {
                var r = i % rowCount;
                pixels.AsSpan(r * FashionMnist.Pixels, FashionMnist.Pixels).CopyTo(features.Buffer.Span);
                label[0, 0] = (uint)labels[r];
                using var results = session.Run(inputs);
                _ = results[0].AsTensor<float>()[0, 0];
            });
            using var batchSession = new InferenceSession(onnxPath);
            var batchInputs = new[]
            {
                NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(pixels, [rowCount, FashionMnist.Pixels])),
                NamedOnnxValue.CreateFromTensor("Label", new DenseTensor<uint>(labels.Select(l => (uint)l).ToArray(), [rowCount, 1])),
            };
            var best = double.MaxValue;
            for (var repeat = 0; repeat < BatchRepeats; repeat++)
            {
                var start = Stopwatch.GetTimestamp();
                using var results = batchSession.Run(batchInputs);
                _ = results[0].AsTensor<float>()[rowCount - 1, 0];
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            Print("onnxruntime", latencies, rowCount / best);
        }
    }

    // Microseconds of each of TimedRows calls of `score` (row index as argument), after WarmupRows untimed; sorted.
    private static double[] Latencies(Action<int> score)
    {
        for (var i = 0; i < WarmupRows; i++)
            score(i);
        var latencies = new double[TimedRows];
        for (var i = 0; i < latencies.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            score(i);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(latencies);
        return latencies;
    }

    private static void Print(string system, double[] latencies, double rowsPerSecond)
        => Console.WriteLine($"SCORING system={system} single_row_median_us={latencies[latencies.Length / 2]:F2} " +
                             $"single_row_p99_us={latencies[latencies.Length * 99 / 100]:F2} batch_rows_per_s={rowsPerSecond:F0}");
}
