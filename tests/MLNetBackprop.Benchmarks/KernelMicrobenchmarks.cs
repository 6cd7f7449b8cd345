using BenchmarkDotNet.Attributes;
using MLNetBackprop.Engine.Kernels;

namespace MLNetBackprop.Benchmarks;

/// <summary>BenchmarkDotNet view of the products at workload W's shapes (run with the "bdn" command).</summary>
[MemoryDiagnoser]
public class KernelMicrobenchmarks
{
    private readonly float[] _x = new float[200 * 784];
    private readonly float[] _w1 = new float[784 * 128];
    private readonly float[] _b1 = new float[128];
    private readonly float[] _z1 = new float[200 * 128];
    private readonly float[] _a1 = new float[200 * 128];
    private readonly float[] _dw1 = new float[784 * 128];
    private readonly float[] _w2 = new float[128 * 10];
    private readonly float[] _dz2 = new float[200 * 10];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        foreach (var array in new[] { _x, _w1, _b1, _z1, _w2, _dz2 })
            for (var i = 0; i < array.Length; i++)
                array[i] = (float)random.NextDouble() - 0.5f;
    }

    [Params(1, 2)]
    public int Threads { get; set; }

    [IterationSetup]
    public void SetThreads() => KernelThreads.ThreadCount = Threads;

    [Benchmark(Description = "forward X·W1+b, ReLU 200x784x128")]
    public void Forward() => MatrixMultiply.MultiplyAddBias(_x, _w1, _b1, _z1, 200, 784, 128, Engine.Kernels.ActivationKind.Relu, _a1);

    [Benchmark(Description = "weight grad Xᵀ·dZ 784x200x128")]
    public void WeightGradient() => MatrixMultiply.MultiplyTransposedA(_x, _z1, _dw1, 200, 784, 128);

    [Benchmark(Description = "input grad dZ·W2ᵀ 200x10x128")]
    public void InputGradient() => MatrixMultiply.MultiplyTransposedB(_dz2, _w2, _z1, 200, 10, 128);
}
