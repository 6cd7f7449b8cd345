using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.ML;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Mpi;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// Workload W (Fashion-MNIST 784-128-10, Adam 1e-3, batch 200) through the multiclass trainer, alone or as one rank of
/// an MPI job (<c>mpiexec -n 2 ... distributed ...</c>): rank 0 prints one DIST line with the seconds per epoch, the
/// time per step spent in allreduce calls and the rest (compute), and a hash of the trained parameters, so runs with
/// different rank counts and the same gradient shards can be checked to give the same model.
/// </summary>
internal static class DistributedBenchmark
{
    private const int Seed = 1;
    private const int BatchSize = 200;
    private const int AllReduceRepeats = 50;

    /// <summary>
    /// Runs <c>distributed &lt;data dir&gt; &lt;epochs&gt; &lt;threads&gt; &lt;mpi|none&gt; [gradient shards]</c>: <c>mpi</c>
    /// trains with <see cref="MpiCluster.Start"/> as the cluster, <c>none</c> with no cluster.
    /// </summary>
    public static int Run(string[] args)
    {
        var epochs = Parse(args[1]);
        var threads = Parse(args[2]);
        int? shards = args.Length > 4 && Parse(args[4]) > 0 ? Parse(args[4]) : null;
        KernelThreads.ThreadCount = threads;
        if (args[3] != "mpi")
            return Train(args[0], epochs, threads, shards, null);
        using var mpi = MpiCluster.Start();
        try
        {
            return Train(args[0], epochs, threads, shards, mpi);
        }
        catch (Exception e)
        {
            // The other ranks would wait in their next allreduce forever.
            mpi.Abort(3, $"{e.GetType().Name}: {e.Message}");
            return 3;
        }
    }

    private static int Train(string dataDirectory, int epochs, int threads, int? shards, MpiCluster? mpi)
    {
        var timed = mpi is null ? null : new TimedCluster(mpi);
        var (features, targets) = FashionMnist.Load(dataDirectory, "train");
        var ml = new MLContext(seed: Seed);
        var data = ml.Data.LoadFromEnumerable(Rows(features, targets));
        // Per epoch on rank 0 (the only rank that reports): seconds since the first epoch began, allreduce ticks so far.
        var marks = new List<(double Elapsed, long AllReduceTicks, double Loss)>();
        var clock = new Stopwatch();
        var trainer = ml.MulticlassClassification.Trainers.Mlp(new MlpMulticlassTrainer.Options
        {
            HiddenLayerSizes = [128],
            Optimizer = MlpOptimizer.Adam,
            LearningRate = 1e-3f,
            L2Regularization = 0f,
            BatchSize = BatchSize,
            NumberOfEpochs = epochs,
            Tolerance = 0f,
            ValidationFraction = 0f,
            Seed = Seed,
            Cluster = timed,
            GradientShards = shards,
            Progress = new EpochProgress(r => marks.Add((r.Elapsed.TotalSeconds, timed?.AllReduceTicks ?? 0, r.TrainingLoss))),
        });
        GC.Collect();
        clock.Start();
        var model = trainer.Fit(data).Model;
        var fitSeconds = clock.Elapsed.TotalSeconds;
        var aloneMs = mpi is null ? 0 : AllReduceAlone(mpi, model.Network.Parameters.Length, timed!.FloatsReduced / Math.Max(1, timed.FloatCalls));
        if (mpi is not null && !mpi.IsRoot)
            return 0;
        var steps = (targets.Length + BatchSize - 1) / BatchSize;
        Console.WriteLine(Line(new RunFigures(mpi?.Size ?? 1, threads, shards ?? mpi?.Size ?? 1, epochs, steps, fitSeconds, marks, timed, aloneMs),
            ParameterHash(model.Network.Parameters)));
        return 0;
    }

    private static string Line(RunFigures run, string hash)
    {
        var (epochSeconds, allReduceMs) = run.SteadyState();
        var stepMs = epochSeconds * 1000 / run.Steps;
        return string.Join(' ',
            FormattableString.Invariant($"DIST ranks={run.Ranks} threads={run.Threads} shards={run.Shards} epochs={run.Epochs} steps_per_epoch={run.Steps}"),
            FormattableString.Invariant($"s_per_epoch={epochSeconds:F3} first_epoch_s={run.Marks[0].Elapsed:F3} fit_s={run.FitSeconds:F3}"),
            FormattableString.Invariant($"step_ms={stepMs:F3} allreduce_ms_per_step={allReduceMs:F3} compute_ms_per_step={stepMs - allReduceMs:F3}"),
            FormattableString.Invariant($"allreduce_all_epochs_ms_per_step={run.AllEpochsAllReduceMs():F3} allreduce_alone_ms={run.AloneMs:F3}"),
            FormattableString.Invariant($"floats_per_allreduce={run.FloatsPerCall} loss={run.Marks[^1].Loss:R} params_sha256={hash}"));
    }

    // Rows made as the trainer reads them, so the process holds the pixels once plus the trainer's own copy.
    private static IEnumerable<FashionRow> Rows(float[] features, float[] targets)
    {
        for (var i = 0; i < targets.Length; i++)
            yield return new FashionRow { Label = (uint)targets[i] + 1, Features = features.AsSpan(i * FashionMnist.Pixels, FashionMnist.Pixels).ToArray() };
    }

    // The gradient allreduce on its own, after a barrier so no rank waits for another's compute: the transfer cost
    // of a step. Every rank calls it; the result is the median over repeats, in milliseconds.
    private static double AllReduceAlone(MpiCluster mpi, int parameters, long floatsPerCall)
    {
        var buffer = new float[Math.Max(parameters, floatsPerCall)];
        var times = new double[AllReduceRepeats];
        for (var i = 0; i < AllReduceRepeats; i++)
        {
            mpi.Barrier();
            var start = Stopwatch.GetTimestamp();
            mpi.AllReduceSum(buffer);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[AllReduceRepeats / 2];
    }

    private static string ParameterHash(ReadOnlySpan<float> parameters) =>
        Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(parameters)))[..16];

    private static int Parse(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
