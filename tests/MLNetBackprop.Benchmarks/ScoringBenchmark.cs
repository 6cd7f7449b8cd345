using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Benchmarks;

/// <summary>ML.NET scoring of a 784-128-10 model: PredictionEngine single-row latency and batch Transform throughput.</summary>
internal static class ScoringBenchmark
{
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

        var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model);
        var output = new Prediction();
        for (var i = 0; i < 2000; i++)
            engine.Predict(rows[i % rows.Length], ref output);
        var latencies = new double[20000];
        for (var i = 0; i < latencies.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            engine.Predict(rows[i % rows.Length], ref output);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(latencies);

        var best = double.MaxValue;
        for (var repeat = 0; repeat < 5; repeat++)
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
        Console.WriteLine($"SCORING system=mlnetbackprop single_row_median_us={latencies[latencies.Length / 2]:F2} " +
                          $"single_row_p99_us={latencies[latencies.Length * 99 / 100]:F2} batch_rows_per_s={rows.Length / best:F0}");
    }
}
