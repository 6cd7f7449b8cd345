using System.Runtime.CompilerServices;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;

namespace MLNetBackprop.Engine.Optimizers;

/// <summary>
/// RMSprop as PyTorch and Keras define it (no momentum, not centred): s ← ρs + (1−ρ)g², then p ← p − η·g/(√s + ε).
/// </summary>
internal sealed class RmsPropOptimizer : IOptimizer
{
    private readonly float[] _meanSquare;
    private readonly float _decay, _epsilon;

    /// <summary>Creates an optimizer for <paramref name="parameterCount"/> parameters with a zero mean square.</summary>
    public RmsPropOptimizer(int parameterCount, float learningRate, float decay, float epsilon)
    {
        _meanSquare = new float[parameterCount];
        LearningRate = learningRate;
        _decay = decay;
        _epsilon = epsilon;
    }

    /// <inheritdoc/>
    public float LearningRate { get; set; }

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient, ReadOnlySpan<ParameterRange> ranges)
    {
        var n = _meanSquare.Length;
        if (parameters.Length != n || gradient.Length != n)
            throw new ArgumentException($"The optimizer was created for {n} parameters.");
        foreach (var range in ranges)
            Update(parameters.Slice(range.Start, range.Length), gradient.Slice(range.GradientStart, range.Length), range.Start);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Update(Span<float> parameters, ReadOnlySpan<float> gradient, int start)
    {
        float rate = LearningRate, rho = _decay, c = 1 - _decay, eps = _epsilon;
        var meanSquare = _meanSquare.AsSpan(start, parameters.Length);
        for (var i = 0; i < parameters.Length; i++)
        {
            var g = gradient[i];
            var s = DecayingMoment.Flush(rho * meanSquare[i] + c * g * g);
            meanSquare[i] = s;
            parameters[i] -= rate * g / (MathF.Sqrt(s) + eps);
        }
    }

    /// <inheritdoc/>
    public void SaveState(BinaryWriter writer) => FloatVectorFormat.Write(writer, _meanSquare);

    /// <inheritdoc/>
    public void LoadState(BinaryReader reader) => FloatVectorFormat.Read(reader, _meanSquare);
}
