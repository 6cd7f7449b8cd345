using System.Globalization;
using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.RowSources;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// Where sparse rows stop paying: the seconds per epoch of the same synthetic rows (<see cref="SparseSyntheticData"/>)
/// held dense and held sparse (lazy and exact updates), side by side in one process, over a sweep of densities and
/// widths, with each storage's memory (the sweep, DENSITY lines); and on wide text-like sets, the lazy update against
/// the exact one, seconds per epoch and held-out accuracy epoch by epoch (LAZYVSDENSE lines).
/// </summary>
internal static class SparseDensityBenchmark
{
    private const int Classes = 10;
    private const int Hidden = 100;
    private const int BatchSize = 200;

    /// <summary>
    /// <c>sweep [widths] [densities] [threads] [zipf|uniform] [rows] [rounds] [epochs]</c>,
    /// <c>lazy [width] [density] [epochs] [threads] [placements] [rows] [rounds]</c>, or nothing for both with their
    /// defaults.
    /// </summary>
    public static void Run(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "all";
        if (mode is not ("sweep" or "lazy" or "all"))
            throw new ArgumentException($"sparse-density: unknown mode '{mode}' (sweep, lazy, or none for both).");
        var rest = mode == "all" ? [] : args[1..];
        string Arg(int i, string fallback) => rest.Length > i ? rest[i] : fallback;
        int Int(int i, string fallback) => int.Parse(Arg(i, fallback), CultureInfo.InvariantCulture);
        if (mode is "sweep" or "all")
            Sweep(Ints(Arg(0, "1000,10000")), Doubles(Arg(1, "0.002,0.01,0.03,0.05,0.1,0.15,0.2,0.25,0.3,0.5")), Ints(Arg(2, "1,2")),
                Arg(3, "zipf") == "zipf", Int(4, "8000"), Int(5, "2"), Int(6, "3"));
        if (mode is "lazy" or "all")
            LazyVersusDense(Int(0, "100000"), Doubles(Arg(1, "0.003"))[0], Int(2, "10"), Ints(Arg(3, "2")),
                Arg(4, "zipf,uniform").Split(','), Int(5, "8000"), Int(6, "2"));
    }

    // Per width and density: one data set, held both ways; per thread count, rounds of the three storages (the order
    // reversed every other round), each a fresh training of 1 + epochs epochs whose first (JIT, first touch, buffers)
    // is left out. The best and the median of the remaining epochs over the rounds by the wall clock, and the best by
    // the training thread's CPU time: with 1 thread that is all the work, and it holds on a busy machine, where the
    // wall clock also counts the time slices other processes take.
    private static void Sweep(int[] widths, double[] densities, int[] threads, bool zipf, int rows, int rounds, int epochs)
    {
        foreach (var width in widths)
            foreach (var density in densities)
            {
                var data = SparseSyntheticData.Create(rows, width, Classes, density, zipf, (ulong)(width * 1000 + density * 1e6));
                var sparse = data.Rows;
                var denseRows = sparse.ToDense();
                var storages = new (string Name, TrainingSet Set, SparseUpdate Update)[]
                {
                    ("dense", new TrainingSet(denseRows, data.Targets, null, width), SparseUpdate.Lazy),
                    ("sparse_lazy", new TrainingSet(sparse, data.Targets, null), SparseUpdate.Lazy),
                    ("sparse_dense", new TrainingSet(sparse, data.Targets, null), SparseUpdate.Dense),
                };
                var distinct = data.DistinctFeaturesPerBatch(BatchSize);
                foreach (var threadCount in threads)
                {
                    KernelThreads.ThreadCount = threadCount;
                    var times = storages.ToDictionary(s => s.Name, _ => new List<double>());
                    var cpu = storages.ToDictionary(s => s.Name, _ => new List<double>());
                    var losses = new Dictionary<string, double>();
                    for (var round = 0; round < rounds; round++)
                    {
                        var order = round % 2 == 0 ? storages : storages.Reverse().ToArray();
                        foreach (var (name, set, update) in order)
                        {
                            var (seconds, cpuSeconds, _, loss) = Train(set, update, 1 + epochs, null);
                            times[name].AddRange(seconds.Skip(1));
                            cpu[name].AddRange(cpuSeconds.Skip(1));
                            losses[name] = loss;
                        }
                    }
                    var (dense, lazy, exact) = (times["dense"].Min(), times["sparse_lazy"].Min(), times["sparse_dense"].Min());
                    var (denseCpu, lazyCpu, exactCpu) = (cpu["dense"].Min(), cpu["sparse_lazy"].Min(), cpu["sparse_dense"].Min());
                    Console.WriteLine(string.Join(' ',
                        $"DENSITY width={width} density={sparse.Density:F4} target_density={density} placement={Placement(zipf)}",
                        $"threads={threadCount} rows={rows} hidden={Hidden} batch={BatchSize} epochs_timed={rounds * epochs}",
                        $"nnz_per_row={(double)sparse.NonZeroCount / rows:F1} distinct_per_batch={distinct:F0}",
                        $"dense_s={dense:F4} sparse_lazy_s={lazy:F4} sparse_dense_s={exact:F4}",
                        $"dense_med_s={Median(times["dense"]):F4} sparse_lazy_med_s={Median(times["sparse_lazy"]):F4}",
                        $"sparse_dense_med_s={Median(times["sparse_dense"]):F4}",
                        $"speedup_lazy={dense / lazy:F2} speedup_dense_update={dense / exact:F2}",
                        $"dense_cpu_s={denseCpu:F4} sparse_lazy_cpu_s={lazyCpu:F4} sparse_dense_cpu_s={exactCpu:F4}",
                        $"speedup_lazy_cpu={denseCpu / lazyCpu:F2} speedup_dense_update_cpu={denseCpu / exactCpu:F2}",
                        $"dense_bytes={(long)denseRows.Length * sizeof(float)} sparse_bytes={sparse.ByteCount}",
                        $"memory_ratio={(double)sparse.ByteCount / ((long)denseRows.Length * sizeof(float)):F3}",
                        $"loss_dense={losses["dense"]:F6} loss_sparse_dense={losses["sparse_dense"]:F6}",
                        $"loss_sparse_lazy={losses["sparse_lazy"]:F6}"));
                }
                storages = [];
                denseRows = [];
                GC.Collect();
            }
    }

    // One wide text-like set per placement, 80 % trained on and 20 % held out; per thread count, rounds of the two
    // updates (the order reversed every other round), each a fresh run of the given epochs. The first round measures
    // the held-out accuracy after each epoch (training does not depend on timing or threads, so later rounds would
    // repeat it); the later rounds, without that evaluation, give the CPU times. The first epoch of each run is left
    // out of the times.
    private static void LazyVersusDense(int width, double density, int epochs, int[] threads, string[] placements, int rows,
        int rounds)
    {
        foreach (var placement in placements)
        {
            var zipf = placement == "zipf";
            var data = SparseSyntheticData.Create(rows, width, Classes, density, zipf, (ulong)(width + density * 1e6) + 7);
            var keepTrain = Enumerable.Range(0, rows).Select(r => r % 5 != 4).ToArray();
            var train = new TrainingSet(data.Rows.Subset(keepTrain), data.Targets.Where((_, r) => keepTrain[r]).ToArray(), null);
            var keepTest = keepTrain.Select(k => !k).ToArray();
            var test = new TrainingSet(data.Rows.Subset(keepTest), data.Targets.Where((_, r) => keepTest[r]).ToArray(), null);
            var distinct = data.DistinctFeaturesPerBatch(BatchSize);
            var updates = new[] { SparseUpdate.Lazy, SparseUpdate.Dense };
            foreach (var threadCount in threads)
            {
                KernelThreads.ThreadCount = threadCount;
                var times = updates.ToDictionary(u => u, _ => new List<double>());
                var cpu = updates.ToDictionary(u => u, _ => new List<double>());
                var outcome = new Dictionary<SparseUpdate, (List<double> Accuracy, double Loss)>();
                for (var round = 0; round < rounds; round++)
                    foreach (var update in round % 2 == 0 ? updates : updates.Reverse())
                    {
                        var (seconds, cpuSeconds, accuracy, loss) = Train(train, update, epochs, round == 0 ? test : null);
                        times[update].AddRange(seconds.Skip(1));
                        if (round > 0)
                            cpu[update].AddRange(cpuSeconds.Skip(1));
                        else
                            outcome[update] = (accuracy, loss);
                    }
                foreach (var update in updates)
                {
                    var (accuracy, loss) = outcome[update];
                    Console.WriteLine(string.Join(' ',
                        $"LAZYVSDENSE width={width} density={data.Rows.Density:F4} placement={placement} threads={threadCount}",
                        $"update={update.ToString().ToLowerInvariant()} rows_train={train.RowCount} rows_test={test.RowCount}",
                        $"hidden={Hidden} batch={BatchSize} epochs={epochs} rounds={rounds}",
                        $"nnz_per_row={(double)data.Rows.NonZeroCount / rows:F1} distinct_per_batch={distinct:F0}",
                        $"s_per_epoch={Median(times[update]):F4} best_epoch_s={times[update].Min():F4}",
                        $"cpu_s_per_epoch={(cpu[update].Count > 0 ? Median(cpu[update]) : double.NaN):F4}",
                        $"best_epoch_cpu_s={(cpu[update].Count > 0 ? cpu[update].Min() : double.NaN):F4}",
                        $"test_accuracy={accuracy[^1]:F4} best_test_accuracy={accuracy.Max():F4} final_loss={loss:F6}",
                        $"accuracy_by_epoch={string.Join(',', accuracy.Select(a => a.ToString("F4", CultureInfo.InvariantCulture)))}"));
                }
            }
        }
    }

    // The wall-clock seconds of each epoch (the training loop's own measure, validation excluded), the training
    // thread's CPU seconds between one epoch's report and the next (validation included when there is one), the
    // held-out accuracy after each epoch when a validation set is given, and the last training loss.
    private static (List<double> Seconds, List<double> Cpu, List<double> Accuracy, double Loss) Train(TrainingSet data,
        SparseUpdate update, int epochs, TrainingSet? validation)
    {
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [Hidden],
            Loss = LossKind.SoftmaxCrossEntropy,
            OutputCount = Classes,
            Optimizer = OptimizerKind.Adam,
            LearningRate = 1e-3f,
            BatchSize = BatchSize,
            MaxEpochs = epochs,
            Tolerance = 0f,
            Seed = 1,
            SparseUpdate = update,
        };
        var seconds = new List<double>();
        var cpu = new List<double>();
        var accuracy = new List<double>();
        var cpuBefore = ThreadCpuTime.Seconds();
        var result = NetworkTrainer.Train(data, settings, new TrainingRunOptions
        {
            Validation = validation is null ? null : new InMemoryRowSource(validation),
            OnEpoch = report =>
            {
                seconds.Add(data.RowCount / report.SamplesPerSecond);
                var cpuNow = ThreadCpuTime.Seconds();
                cpu.Add(cpuNow - cpuBefore);
                cpuBefore = cpuNow;
                if (report.ValidationAccuracy is { } a)
                    accuracy.Add(a);
            },
        });
        return (seconds, cpu, accuracy, result.History[^1].TrainingLoss);
    }

    private static string Placement(bool zipf) => zipf ? "zipf" : "uniform";

    private static int[] Ints(string list) => list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    private static double[] Doubles(string list) => list.Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
