using System.Runtime.InteropServices;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.KernelProbe;

// Every vector path this CPU runs, on 1 and 2 threads: the tile edges (1, 7, 33 rows and columns), several blocks of
// the shared dimension, wide outputs that pack A′, row counts that leave a partial tile (5 and 7 rows below the last
// full tile take the exact-height tiles, 1 and 2 rows two panels at a time), and a product whose packed blocks two
// threads share, against one thread.
// Prints one summary line (the test reads it) and each failure; exits 1 on any failure.
int[] sizes = [1, 7, 33, 70];
(int M, int K, int N)[] wide = [(25, 600, 1100), (26, 40, 530), (200, 40, 530), (29, 40, 530), (31, 40, 530)];
// Several packed blocks of A′ at every tile height, so two threads share each packed block (SharedPackJob, where
// supported).
(int M, int K, int N) shared = (265, 512, 1030);
var products = new ExactProducts();
var levels = Enum.GetValues<SimdLevel>().Where(level => level <= SimdSelection.Best).ToArray();
foreach (var level in levels)
{
    using var forced = SimdSelection.Force(level);
    foreach (var threads in new[] { 1, 2 })
    {
        KernelThreads.ThreadCount = threads;
        foreach (var m in sizes)
            foreach (var k in sizes)
                foreach (var n in sizes)
                    products.All($"{level} threads={threads} {m}x{k}x{n}", m, k, n);
        foreach (var (m, k, n) in wide)
            products.All($"{level} threads={threads} {m}x{k}x{n}", m, k, n);
    }
    products.SameOnOneAndTwoThreads($"{level} {shared.M}x{shared.K}x{shared.N}", shared.M, shared.K, shared.N);
}
foreach (var failure in products.Failures)
    Console.WriteLine("FAILED " + failure);
Console.WriteLine($"KERNELPROBE arch={RuntimeInformation.ProcessArchitecture} best={SimdSelection.Best} " +
    $"levels={string.Join(',', levels)} checks={products.Checks} failed={products.Failures.Count}");
return products.Failures.Count == 0 ? 0 : 1;
