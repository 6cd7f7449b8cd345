using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;

namespace MLNetBackprop.Engine.Optimizers;

/// <summary>
/// Adam in scikit-learn's formulation: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², then with step t (starting at 1)
/// p ← p − η_t·m/(√v + ε) where η_t = η·√(1−β₂ᵗ)/(1−β₁ᵗ). This folds the bias correction into the step size, so ε
/// acts on the uncorrected √v (PyTorch instead adds ε to the corrected √v̂; the two differ only through ε).
/// </summary>
internal sealed class AdamOptimizer : IOptimizer
{
    private readonly float[] _m;
    private readonly float[] _v;
    private readonly float _beta1, _beta2, _epsilon;

    /// <summary>Creates an optimizer for <paramref name="parameterCount"/> parameters with zero moments.</summary>
    public AdamOptimizer(int parameterCount, float learningRate, float beta1, float beta2, float epsilon)
    {
        _m = new float[parameterCount];
        _v = new float[parameterCount];
        LearningRate = learningRate;
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
    }

    /// <inheritdoc/>
    public float LearningRate { get; set; }

    /// <summary>Number of steps taken so far.</summary>
    public long StepCount { get; private set; }

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient, ReadOnlySpan<ParameterRange> ranges)
    {
        var n = _m.Length;
        if (parameters.Length != n || gradient.Length != n)
            throw new ArgumentException($"The optimizer was created for {n} parameters.");
        var t = ++StepCount;
        // In double: β₂ᵗ stays accurate for the large t of long runs.
        var rate = (float)(LearningRate * Math.Sqrt(1 - Math.Pow(_beta2, t)) / (1 - Math.Pow(_beta1, t)));
        // Vectorized and split across cores; the same operations in the same order, so the same bits.
        AdamUpdate.Step(parameters, gradient, _m, _v, ranges, rate, _beta1, _beta2, _epsilon);
    }

    /// <inheritdoc/>
    public void SaveState(BinaryWriter writer)
    {
        writer.Write(StepCount);
        FloatVectorFormat.Write(writer, _m);
        FloatVectorFormat.Write(writer, _v);
    }

    /// <inheritdoc/>
    public void LoadState(BinaryReader reader)
    {
        StepCount = reader.ReadInt64();
        if (StepCount < 0)
            throw new InvalidDataException($"The checkpoint's Adam step count {StepCount} is negative.");
        FloatVectorFormat.Read(reader, _m);
        FloatVectorFormat.Read(reader, _v);
    }
}
