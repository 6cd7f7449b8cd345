using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// Training on rows in memory against rows streamed from a binary <c>.idv</c> file (issue: DataLoading). <c>save</c>
/// writes Fashion-MNIST's training set repeated n times as an <c>.idv</c>; <c>train</c> fits the multiclass MLP on one
/// with a <see cref="MlpDataLoading"/> and prints its STREAM line (run one per process, so the peak memory is that
/// run's alone, and under <c>DOTNET_GCHeapHardLimit</c> to hold it to a budget); <c>read</c> times cursor passes alone,
/// the decoding a streamed epoch pays on top of the arithmetic.
/// </summary>
internal static class StreamingBenchmark
{
    private const int Seed = 1;

    private sealed class Row
    {
        public float Label { get; set; }

        [VectorType(FashionMnist.Pixels)]
        public float[] Features { get; set; } = [];
    }

    public static int Run(string[] args) => args[0] switch
    {
        "save" => Save(args[1], args[2], args[3].Split(',').Select(Parse).ToArray()),
        "train" => Train(args[1], Enum.Parse<MlpDataLoading>(args[2], ignoreCase: true), Parse(args[3])),
        "read" => Read(args[1], Parse(args[2])),
        _ => throw new ArgumentException($"Unknown streaming command '{args[0]}': expected save, train or read."),
    };

    // Fashion-MNIST's training rows, `repeats` times over, saved as <directory>/fashion-<repeats>x.idv with the
    // label as a key; rows are produced as they are written, so saving holds one copy of the 60,000 rows only.
    private static int Save(string fashionDirectory, string directory, int[] repeatsList)
    {
        var (features, targets) = FashionMnist.Load(fashionDirectory, "train");
        var ml = new MLContext(seed: Seed);
        Directory.CreateDirectory(directory);
        foreach (var repeats in repeatsList)
        {
            var path = Path.Combine(directory, $"fashion-{repeats}x.idv");
            var clock = Stopwatch.StartNew();
            var rows = ml.Data.LoadFromEnumerable(Rows(features, targets, repeats));
            var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(rows).Transform(rows);
            using (var file = File.Create(path))
                ml.Data.SaveAsBinary(keyed, file);
            Console.WriteLine(FormattableString.Invariant(
                $"STREAM_DATA repeats={repeats} rows={(long)targets.Length * repeats} file_mb={new FileInfo(path).Length / 1048576.0:F0} float_mb={(long)targets.Length * repeats * FashionMnist.Pixels * 4 / 1048576.0:F0} save_s={clock.Elapsed.TotalSeconds:F1} path={path}"));
        }
        return 0;
    }

    private static IEnumerable<Row> Rows(float[] features, float[] targets, int repeats)
    {
        for (var r = 0; r < repeats; r++)
            for (var i = 0; i < targets.Length; i++)
                yield return new Row { Label = targets[i], Features = features.AsSpan(i * FashionMnist.Pixels, FashionMnist.Pixels).ToArray() };
    }

    // One fit with default options but the seed, the epochs and the data loading; the STREAM line gives each epoch's
    // rows/s and seconds, the time before the first epoch (the first pass while streaming) and the peak memory.
    private static int Train(string path, MlpDataLoading loading, int epochs)
    {
        var ml = new MLContext(seed: Seed);
        var choices = new List<string>();
        ml.Log += (_, e) =>
        {
            if (e.Message.Contains("DataLoading", StringComparison.Ordinal) || e.Message.StartsWith("Streaming the", StringComparison.Ordinal))
                choices.Add(e.Message);
        };
        var data = ml.Data.LoadFromBinary(path);
        var reports = new List<(MlpEpochReport Report, double At)>();
        var clock = new Stopwatch();
        var trainer = ml.MulticlassClassification.Trainers.Mlp(new MlpMulticlassTrainer.Options
        {
            Seed = Seed,
            NumberOfEpochs = epochs,
            DataLoading = loading,
            Progress = new SynchronousProgress(r => reports.Add((r, clock.Elapsed.TotalSeconds))),
        });
        var limit = Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimit") ?? "none";
        var prefix = $"STREAM file={Path.GetFileName(path)} loading={loading} heap_limit={limit}";
        GC.Collect();
        var peakBefore = ProcessMemory.PeakResidentMb();
        clock.Start();
        try
        {
            trainer.Fit(data);
        }
        catch (Exception e) when (e is InvalidOperationException or OutOfMemoryException)
        {
            Console.WriteLine(FormattableString.Invariant(
                $"{prefix} failed={e.GetType().Name} fit_s={clock.Elapsed.TotalSeconds:F2} peak_mb={ProcessMemory.PeakResidentMb():F0} names_dataloading={e.Message.Contains("DataLoading", StringComparison.Ordinal)}"));
            Console.WriteLine($"STREAM_MESSAGE {e.Message}");
            return 1;
        }
        var fitSeconds = clock.Elapsed.TotalSeconds;
        foreach (var choice in choices)
            Console.WriteLine($"STREAM_LOG {choice}");
        // The time before the first epoch: reading the rows into memory, or the first pass that counts them.
        var first = reports[0];
        var before = first.At - first.Report.Elapsed.TotalSeconds;
        var rates = reports.Select(r => r.Report.SamplesPerSecond).ToArray();
        // Elapsed counts from the start of the first epoch: each epoch's seconds are the differences.
        var seconds = reports.Select((r, i) => r.Report.Elapsed.TotalSeconds - (i == 0 ? 0 : reports[i - 1].Report.Elapsed.TotalSeconds)).ToArray();
        Console.WriteLine(string.Join(' ',
            prefix,
            FormattableString.Invariant($"epochs={reports.Count} fit_s={fitSeconds:F2} before_epochs_s={before:F2}"),
            $"epoch_s={string.Join(',', seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))}",
            $"rows_per_s={string.Join(',', rates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))}",
            FormattableString.Invariant($"median_rows_per_s={Median(rates):F0} median_epoch_s={Median(seconds):F2}"),
            FormattableString.Invariant($"loss={reports[^1].Report.TrainingLoss:F4} peak_mb={ProcessMemory.PeakResidentMb():F0} hwm_before_mb={peakBefore:F0}")));
        return 0;
    }

    // Cursor passes over the features and label alone, as a streamed epoch makes them: sequential, then in random order.
    private static int Read(string path, int passes)
    {
        var ml = new MLContext(seed: Seed);
        var data = ml.Data.LoadFromBinary(path);
        var columns = new[] { data.Schema["Features"], data.Schema["Label"] };
        for (var pass = 0; pass < passes; pass++)
        {
            foreach (var shuffled in new[] { false, true })
            {
                var clock = Stopwatch.StartNew();
                using var cursor = shuffled && data.CanShuffle ? data.GetRowCursor(columns, new Random(pass)) : data.GetRowCursor(columns);
                var features = cursor.GetGetter<VBuffer<float>>(columns[0]);
                var label = cursor.GetGetter<uint>(columns[1]);
                VBuffer<float> vector = default;
                uint key = 0;
                long rows = 0;
                double sum = 0;
                while (cursor.MoveNext())
                {
                    features(ref vector);
                    label(ref key);
                    sum += vector.GetValues()[0] + key;
                    rows++;
                }
                var s = clock.Elapsed.TotalSeconds;
                Console.WriteLine(FormattableString.Invariant(
                    $"STREAM_READ file={Path.GetFileName(path)} shuffled={shuffled && data.CanShuffle} rows={rows} read_s={s:F2} rows_per_s={rows / s:F0} check={sum:G6} peak_mb={ProcessMemory.PeakResidentMb():F0}"));
            }
            ReadAsTraining(data, path, pass);
        }
        return 0;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int Parse(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    // Progress<T> posts to the thread pool; this records on the training thread, as the report arrives.
    private sealed class SynchronousProgress(Action<MlpEpochReport> report) : IProgress<MlpEpochReport>
    {
        public void Report(MlpEpochReport value) => report(value);
    }

    // The trainer's own reader over the same pass: the cursor plus the row checks and the copy into row slots, as the
    // read-ahead thread does every epoch.
    private static void ReadAsTraining(IDataView data, string path, int pass)
    {
        var columns = new MLNetBackprop.MLNet.RowColumns(data.Schema["Features"], data.Schema["Label"], null, MLNetBackprop.MLNet.LabelKind.Key);
        var stream = new MLNetBackprop.MLNet.CursorRowStream(data, columns, "training");
        var clock = Stopwatch.StartNew();
        var slots = new MLNetBackprop.Engine.Data.RowSlots(200, columns.FeatureCount, sparse: false);
        using var reader = stream.OpenReader(pass);
        long rows = 0;
        while (reader.ReadInto(slots, (int)(rows % 200)))
            rows++;
        var s = clock.Elapsed.TotalSeconds;
        Console.WriteLine(FormattableString.Invariant(
            $"STREAM_READ file={Path.GetFileName(path)} reader=trainer shuffled={data.CanShuffle} rows={rows} read_s={s:F2} rows_per_s={rows / s:F0} peak_mb={ProcessMemory.PeakResidentMb():F0}"));
    }
}
