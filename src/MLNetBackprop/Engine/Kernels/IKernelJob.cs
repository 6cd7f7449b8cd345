namespace MLNetBackprop.Engine.Kernels;

/// <summary>Work that splits into parts which write disjoint outputs, so any thread may run any part.</summary>
internal interface IKernelJob
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    void Execute(int part, int parts);
}
