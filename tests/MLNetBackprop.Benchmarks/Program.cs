using BenchmarkDotNet.Running;
using MLNetBackprop.Benchmarks;
using MLNetBackprop.Engine.Kernels;

// Commands (see bench/run.sh):
//   train  <data dir> <hidden sizes, e.g. 128 or 2048,2048> <epochs> <threads, or 0: epochs alternate 2 and 1>
//   machine                                                    (FMA peak and memory bandwidth of one and two cores)
//   kernels <threads> [scalar|vector128|vector256|vector512]
//   versus-openblas <threads>                                  (our products and OpenBLAS's, samples alternating)
//   sparse-density [sweep <widths> <densities> <threads> | lazy <width> <density> <epochs> <threads>]   (dense vs sparse rows)
//   profile <data dir> <hidden sizes> <threads>
//   score  <data dir>                                          (PredictionEngine and Transform; the ONNX export through ONNX Runtime and ApplyOnnxModel)
//   text   <debian-packages.tsv> <mlp|sdca|lightgbm|featurize|dense-epoch> [rows, dense-epoch only]   (one system per process)
//   streaming save <data dir> <out dir> <repeats, e.g. 1,4,16> | train <.idv> <inmemory|streaming|auto> <epochs> | read <.idv> <passes>
//   distributed <data dir> <epochs> <threads> <mpi|none> [gradient shards]   (workload W as one rank of an MPI job, or alone)
//   tabular <data dir> <dataset|all> <system|all> <seeds, e.g. 1,2,3>   (the tabular suite, bench/tabular.sh)
//   multitarget <split dir>   (multi-output regression and multi-label splits, bench/multi_target.py)
//   bdn    [BenchmarkDotNet arguments]
var command = args.Length > 0 ? args[0] : "";
switch (command)
{
    case "train":
        TrainingBenchmark.Run(args[1], args[2].Split(',').Select(ParseInt).ToArray(), ParseInt(args[3]), ParseInt(args[4]));
        break;
    case "kernels":
        KernelBenchmark.Run(ParseInt(args[1]), args.Length > 2 ? Enum.Parse<SimdLevel>(args[2], ignoreCase: true) : null);
        break;
    case "machine":
        KernelBenchmark.Machine();
        break;
    case "versus-openblas":
        KernelBenchmark.Run(ParseInt(args[1]), null, OpenBlasGemm.Load());
        break;
    case "profile":
        StageProfile.Run(args[1], args[2].Split(',').Select(ParseInt).ToArray(), ParseInt(args[3]));
        break;
    case "quality":
        QualityBenchmark.Run(args[1], args.Length > 2 ? ParseInt(args[2]) : 20);
        break;
    case "sparse-density":
        SparseDensityBenchmark.Run(args[1..]);
        break;
    case "score":
        ScoringBenchmark.Run(args[1]);
        break;
    case "text" when args.Length > 2 && args[2] == "dense-epoch":
        TextEpochBenchmark.Run(args[1], args.Length > 3 ? ParseInt(args[3]) : 0);
        break;
    case "text":
        return TextBenchmark.Run(args[1], args[2]) ? 0 : 1;
    case "streaming":
        return StreamingBenchmark.Run(args[1..]);
    case "distributed":
        return DistributedBenchmark.Run(args[1..]);
    case "tabular":
        return TabularBenchmark.Run(args[1..]);
    case "multitarget":
        return MultiTargetBenchmark.Run(args[1..]);
    case "bdn":
        BenchmarkSwitcher.FromAssembly(typeof(KernelMicrobenchmarks).Assembly).Run(args[1..]);
        break;
    default:
        Console.Error.WriteLine("usage: train <dir> <hidden> <epochs> <threads|0> | machine | kernels <threads> [level] | versus-openblas <threads> | profile <dir> <hidden> <threads> | score <dir> | " +
            $"text <tsv> <{TextBenchmark.Systems}|dense-epoch> [rows] | streaming save|train|read ... | " +
            $"distributed <dir> <epochs> <threads> <mpi|none> [shards] | {TabularBenchmark.Usage} | {MultiTargetBenchmark.Usage} | bdn [args]");
        return 2;
}
return 0;

static int ParseInt(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
