using System.Diagnostics;
using MLNetBackprop.Engine.Kernels;

namespace MLNetBackprop.Benchmarks;

/// <summary>GFLOP/s of the three products at workload W's shapes and at the wide network's (ours, and OpenBLAS's in the same process), best of several samples.</summary>
internal static class KernelBenchmark
{
    private static readonly (string Name, string Kind, int M, int K, int N)[] Shapes =
    [
        ("W forward X·W1 200x784x128", "nn", 200, 784, 128),
        ("W weight grad X^T·dZ 784x200x128", "tn", 200, 784, 128),
        ("W output forward 200x128x10", "nn", 200, 128, 10),
        ("W input grad dZ·W2^T 200x10x128", "nt", 200, 10, 128),
        ("wide forward 200x2048x2048", "nn", 200, 2048, 2048),
        ("wide weight grad 2048x200x2048", "tn", 200, 2048, 2048),
        ("wide input grad 200x2048x2048", "nt", 200, 2048, 2048),
    ];

    /// <summary>
    /// Measured FMA peak of <paramref name="cores"/> cores together at <paramref name="level"/> (<see cref="FmaPeak"/>),
    /// all threads started at once (on a shared host two cores need not reach twice one core's figure).
    /// </summary>
    public static double PeakGflops(int cores, SimdLevel level)
    {
        var best = 0.0;
        for (var sample = 0; sample < 10; sample++)
        {
            using var ready = new Barrier(cores);
            var start = 0L;
            var flops = new double[cores];
            var threads = Enumerable.Range(0, cores).Select(core => new Thread(() =>
            {
                ready.SignalAndWait();
                Interlocked.CompareExchange(ref start, Stopwatch.GetTimestamp(), 0);
                flops[core] = FmaPeak.Run(level, 2_000_000);
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            best = Math.Max(best, flops.Sum() / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9);
        }
        return best;
    }

    /// <summary>The FMA peak and memory bandwidth of one core and of two: the ceilings the other figures are read against.</summary>
    /// <remarks>
    /// Prints the CPU and the level the kernels use, then the peak at every level the CPU runs natively, so that each
    /// level's kernels are read against their own ceiling.
    /// </remarks>
    public static void Machine()
    {
        Console.WriteLine($"CPU model=\"{CpuModel()}\" kernels={SimdSelection.Best} levels={string.Join(',', FmaPeak.Levels())}");
        foreach (var level in FmaPeak.Levels())
            Console.WriteLine($"PEAK level={level} one_core_gflops={PeakGflops(1, level):F1} two_core_gflops={PeakGflops(2, level):F1}");
        MemoryBandwidth.Run();
    }

    // The CPU's model name as Linux gives it, or the architecture elsewhere.
    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        var name = File.Exists(cpuInfo)
            ? File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return name ?? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>
    /// Our products at every shape on <paramref name="threads"/> threads (and then the Adam step); with
    /// <paramref name="openBlas"/>, OpenBLAS's on as many threads, sample for sample alternating with ours.
    /// </summary>
    public static void Run(int threads, SimdLevel? level, OpenBlasGemm? openBlas = null)
    {
        KernelThreads.ThreadCount = threads;
        openBlas?.SetThreads(threads);
        // The OPENBLAS_CORETYPE the peers' runs force shows in the label, as "openblas-SkylakeX".
        var peer = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") is { Length: > 0 } ? $"openblas-{openBlas?.CoreName}" : "openblas";
        if (openBlas is not null)
            Console.WriteLine($"BLAS label={peer} core={openBlas.CoreName} threads={threads}");
        using var forced = level is { } l ? SimdSelection.Force(l) : null;
        foreach (var (name, kind, m, k, n) in Shapes)
        {
            var a = Random(m * k, 1);
            var b = Random(kind == "nn" ? k * n : kind == "tn" ? m * n : n * k, 2);
            var c = new float[kind == "tn" ? k * n : m * n];
            Action product = kind switch
            {
                "nn" => () => MatrixMultiply.Multiply(a, b, c, m, k, n),
                "tn" => () => MatrixMultiply.MultiplyTransposedA(a, b, c, m, k, n),
                _ => () => MatrixMultiply.MultiplyTransposedB(a, b, c, m, k, n),
            };
            var flops = 2.0 * m * n * k;
            if (openBlas is null)
            {
                Report(name, threads, SimdSelection.Current.ToString(), BestTimes([product], flops)[0], flops);
                continue;
            }
            var theirs = new float[c.Length];
            var times = BestTimes([product, () => openBlas.Multiply(kind, a, b, theirs, m, k, n)], flops);
            CheckSameProduct(name, c, theirs);
            Report(name, threads, SimdSelection.Current.ToString(), times[0], flops);
            Report(name, threads, peer, times[1], flops);
        }
        AdamStep(threads);
    }

    private static void Report(string name, int threads, string simd, double seconds, double flops)
        => Console.WriteLine($"KERNEL name=\"{name}\" threads={threads} simd={simd} us={seconds * 1e6:F1} gflops={flops / seconds / 1e9:F1}");

    // A peer called with the wrong shapes or transposes would be timed on another product: compare the results.
    private static void CheckSameProduct(string name, float[] ours, float[] theirs)
    {
        var (largest, worst) = (0f, 0f);
        for (var i = 0; i < ours.Length; i++)
            (largest, worst) = (Math.Max(largest, Math.Abs(ours[i])), Math.Max(worst, Math.Abs(ours[i] - theirs[i])));
        if (!(worst <= 1e-4f * largest))
            throw new InvalidOperationException($"{name}: OpenBLAS's product differs from ours by {worst} (largest entry {largest}).");
    }

    // The Adam update over W's 101,770 parameters (sqrt and divide per element; memory-bound beyond L2).
    private static void AdamStep(int threads)
    {
        const int count = 784 * 128 + 128 + 128 * 10 + 10;
        var (parameters, gradient) = (Random(count, 3), Random(count, 4));
        var (m, v) = (new float[count], new float[count]);
        var seconds = BestTimes([() => AdamUpdate.Step(parameters, gradient, m, v, 1e-6f, 0.9f, 0.999f, 1e-8f)], 20.0 * count)[0];
        Console.WriteLine($"ADAM parameters={count} threads={threads} us={seconds * 1e6:F1}");
    }

    // Each contender repeats enough calls for ~20 ms per sample; the samples of the contenders alternate, and each
    // keeps its fastest of 15 (the machine is shared: a busy spell lands on both). Between two contenders' samples a
    // sleep lets the other's worker threads stop spinning, so neither runs against the other's spinners: ours spin
    // for 0.2 ms, OpenBLAS's OpenMP threads (libgomp's default spin) for several milliseconds, so a 2 ms pause left
    // whichever product came right after OpenBLAS's up to a quarter slower on 2 threads.
    private const int PauseMilliseconds = 30;

    private static double[] BestTimes(Action[] contenders, double flops)
    {
        foreach (var contender in contenders)
            for (var i = 0; i < 20; i++)
                contender();
        var calls = Math.Max(1, (int)(0.02 / (flops / 2e11)));
        var best = contenders.Select(_ => double.MaxValue).ToArray();
        for (var sample = 0; sample < 15; sample++)
        {
            for (var c = 0; c < contenders.Length; c++)
            {
                if (contenders.Length > 1)
                    Thread.Sleep(PauseMilliseconds);
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < calls; i++)
                    contenders[c]();
                best[c] = Math.Min(best[c], Stopwatch.GetElapsedTime(start).TotalSeconds / calls);
            }
        }
        return best;
    }

    private static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
