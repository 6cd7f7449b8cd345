using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop;
using MLNetBackprop.Mpi;

/// <summary>
/// The probe's training modes: an ML.NET pipeline on the repository's data trained with the job's cluster, the model
/// identified by a hash of its scores on every row, printed by rank 0.
/// </summary>
internal static class TrainingProbe
{
    /// <summary>
    /// <c>train &lt;data folder&gt; &lt;dense|sparse|lbfgs|stream|perrank&gt; &lt;gradient shards|default&gt; [&lt;checkpoint&gt; [&lt;N|fail-N&gt;]]</c>:
    /// trains (stream: each rank streams its share through a small shuffle buffer; perrank: each rank's view is its own
    /// contiguous part of the rows, ClusterData ViewPerRank; N: cancelled after epoch N; fail-N:
    /// rank 0 throws after epoch N, which aborts the job) and prints "scores HASH after N
    /// epochs, accuracy A" (on the training rows); <c>mismatch &lt;data folder&gt;</c>: rank 1 asks for another hidden
    /// layer size (the job must abort, naming the difference).
    /// </summary>
    public static bool Run(MpiCluster cluster, string[] args)
    {
        var ml = new MLContext(seed: 1);
        var folder = args[1];
        var kind = args[0] == "mismatch" ? "dense" : args[2];
        int? shards = args[0] == "mismatch" || args[3] == "default" ? null : int.Parse(args[3], CultureInfo.InvariantCulture);
        using var cancel = new CancellationTokenSource();
        // "N": cancel after epoch N; "fail-N": throw on rank 0 after epoch N (a fault mid-training: the job aborts).
        var stop = args.Length > 5 ? args[5] : null;
        var failing = stop?.StartsWith("fail-", StringComparison.Ordinal) == true;
        var stopAfter = stop is null ? int.MaxValue : int.Parse(failing ? stop[5..] : stop, CultureInfo.InvariantCulture);
        var options = new MlpMulticlassTrainer.Options
        {
            HiddenLayerSizes = [args[0] == "mismatch" && cluster.Rank == 1 ? 32 : 16],
            NumberOfEpochs = 6,
            BatchSize = 64,
            Tolerance = 0,
            Seed = 7,
            Optimizer = kind == "lbfgs" ? MlpOptimizer.Lbfgs : MlpOptimizer.Adam,
            DataLoading = kind == "stream" ? MlpDataLoading.Streaming : MlpDataLoading.InMemory,
            ClusterData = kind == "perrank" ? MlpClusterData.ViewPerRank : MlpClusterData.SameView,
            ShuffleBufferSize = kind == "stream" ? 256 : null,
            Cluster = cluster,
            GradientShards = shards,
            CheckpointPath = args.Length > 4 ? args[4] : null,
            CancellationToken = cancel.Token,
            Progress = new Reporter(report =>
            {
                if (report.Epoch >= stopAfter && failing)
                    throw new InvalidOperationException($"a fault after epoch {report.Epoch}");
                if (report.Epoch >= stopAfter)
                    cancel.Cancel();
            }),
        };
        var (data, pipeline) = kind switch
        {
            "sparse" => Packages(ml, folder),
            "perrank" => PreparedDigits(ml, folder),
            _ => Digits(ml, folder),
        };
        // perrank: each rank trains on its own contiguous part of the rows, as if it had a file of its own.
        var view = kind == "perrank" ? PartOf(ml, data, cluster.Rank, cluster.Size) : data;
        var model = pipeline.Append(ml.MulticlassClassification.Trainers.Mlp(options)).Fit(view);
        var scored = model.Transform(data);
        var scores = scored.GetColumn<float[]>("Score").ToArray();
        var accuracy = ml.MulticlassClassification.Evaluate(scored).MicroAccuracy;
        var epochs = ((MulticlassPredictionTransformer<MlpMulticlassModelParameters>)model.LastTransformer).Model.TrainingHistory.Count;
        if (cluster.IsRoot)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scores {Hash(scores):x16} after {epochs} epochs, accuracy {accuracy:F3}"));
        return true;
    }

    private static (IDataView, IEstimator<ITransformer>) Digits(MLContext ml, string folder)
    {
        var data = ml.Data.LoadFromTextFile(Path.Combine(folder, "digits.csv"),
            [new TextLoader.Column("Pixels", DataKind.Single, 0, 63), new TextLoader.Column("Digit", DataKind.Single, 64)],
            separatorChar: ',', hasHeader: true);
        return (data, ml.Transforms.Conversion.MapValueToKey("Label", "Digit")
            .Append(ml.Transforms.NormalizeMinMax("Features", "Pixels")));
    }

    // Digits normalized and keyed once, by transforms fitted on every row, so that every rank's part means the same.
    private static (IDataView, IEstimator<ITransformer>) PreparedDigits(MLContext ml, string folder)
    {
        var (raw, preparation) = Digits(ml, folder);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", "Digit", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.Transforms.NormalizeMinMax("Features", "Pixels"));
        _ = preparation;
        var prepared = keyed.Fit(raw).Transform(raw);
        return (prepared, new EstimatorChain<ITransformer>());
    }

    private static IDataView PartOf(MLContext ml, IDataView data, int rank, int size)
    {
        var rows = data.GetRowCount() ?? data.GetColumn<float>("Digit").LongCount();
        var first = ml.Data.TakeRows(data, (rank + 1) * rows / size);
        return rank == 0 ? first : ml.Data.SkipRows(first, rank * rows / size);
    }

    // Sparse rows: FeaturizeText's n-grams of the package summaries.
    private static (IDataView, IEstimator<ITransformer>) Packages(MLContext ml, string folder)
    {
        var all = ml.Data.LoadFromTextFile(Path.Combine(folder, "debian-packages.tsv"),
            [new TextLoader.Column("Section", DataKind.String, 1), new TextLoader.Column("Summary", DataKind.String, 2)],
            separatorChar: '\t', hasHeader: true, allowQuoting: true);
        return (ml.Data.TakeRows(all, 800), ml.Transforms.Conversion.MapValueToKey("Label", "Section")
            .Append(ml.Transforms.Text.FeaturizeText("Features", "Summary")));
    }

    private static ulong Hash(float[][] rows)
    {
        var hash = 14695981039346656037UL;
        foreach (var row in rows)
            foreach (var value in row)
                hash = (hash ^ (uint)BitConverter.SingleToInt32Bits(value)) * 1099511628211UL;
        return hash;
    }

    // Progress reported synchronously on the training thread (System.Progress would post it elsewhere).
    private sealed class Reporter(Action<MlpEpochReport> report) : IProgress<MlpEpochReport>
    {
        public void Report(MlpEpochReport value) => report(value);
    }
}
