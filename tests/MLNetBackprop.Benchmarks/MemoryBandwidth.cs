using System.Diagnostics;
using System.Numerics.Tensors;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// Read bandwidth from memory for one core and for two together: the ceiling of every memory-bound stage (the random
/// row gather, the optimizer step once its moments have left the caches). Where two cores read no faster than one,
/// those stages cannot scale with threads.
/// </summary>
internal static class MemoryBandwidth
{
    private const int Floats = 128 << 20; // 512 MB: larger than the caches

    public static void Run()
    {
        var data = new float[Floats];
        data.AsSpan().Fill(1f); // first touch outside the timing
        Console.WriteLine($"BANDWIDTH one_core_gb_per_s={Best(data, 1):F1} two_cores_gb_per_s={Best(data, 2):F1}");
    }

    private static double Best(float[] data, int cores)
    {
        var best = 0.0;
        for (var sample = 0; sample < 5; sample++)
        {
            var start = Stopwatch.GetTimestamp();
            Parallel.For(0, cores, new ParallelOptions { MaxDegreeOfParallelism = cores }, core =>
            {
                var slice = data.AsSpan(Floats / cores * core, Floats / cores);
                GC.KeepAlive(TensorPrimitives.Sum(slice));
            });
            best = Math.Max(best, Floats * 4.0 / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9);
        }
        return best;
    }
}
