using MLNetBackprop.Engine.Kernels;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>Sets the kernel thread count for a using block and restores the previous one after it.</summary>
internal sealed class ThreadCountScope : IDisposable
{
    private readonly int _previous = KernelThreads.ThreadCount;

    public ThreadCountScope(int threads) => KernelThreads.ThreadCount = threads;

    public void Dispose() => KernelThreads.ThreadCount = _previous;
}
