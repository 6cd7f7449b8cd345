using System.Runtime.CompilerServices;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;

namespace MLNetBackprop.Engine.Optimizers;

/// <summary>
/// Stochastic gradient descent with momentum, in scikit-learn's formulation: the velocity is v ← μv − η·g and the
/// parameters move by v, or with Nesterov momentum by μv − η·g using the new v (a look-ahead step).
/// μ = 0 is plain SGD.
/// </summary>
internal sealed class SgdOptimizer : IOptimizer
{
    private readonly float[] _velocity;
    private readonly float _momentum;
    private readonly bool _nesterov;

    /// <summary>Creates an optimizer for <paramref name="parameterCount"/> parameters with zero initial velocity.</summary>
    public SgdOptimizer(int parameterCount, float learningRate, float momentum, bool nesterov)
    {
        _velocity = new float[parameterCount];
        LearningRate = learningRate;
        _momentum = momentum;
        _nesterov = nesterov;
    }

    /// <inheritdoc/>
    public float LearningRate { get; set; }

    /// <summary>The current velocity (for checkpoints and tests).</summary>
    public ReadOnlySpan<float> Velocity => _velocity;

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient, ReadOnlySpan<ParameterRange> ranges)
    {
        var n = _velocity.Length;
        if (parameters.Length != n || gradient.Length != n)
            throw new ArgumentException($"The optimizer was created for {n} parameters.");
        var rate = LearningRate;
        foreach (var range in ranges)
            Update(parameters.Slice(range.Start, range.Length), gradient.Slice(range.GradientStart, range.Length), range.Start, rate);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Update(Span<float> parameters, ReadOnlySpan<float> gradient, int start, float rate)
    {
        var velocity = _velocity.AsSpan(start, parameters.Length);
        for (var i = 0; i < parameters.Length; i++)
        {
            var step = -rate * gradient[i];
            var v = DecayingMoment.Flush(_momentum * velocity[i] + step);
            velocity[i] = v;
            parameters[i] += _nesterov ? _momentum * v + step : v;
        }
    }

    /// <inheritdoc/>
    public void SaveState(BinaryWriter writer) => FloatVectorFormat.Write(writer, _velocity);

    /// <inheritdoc/>
    public void LoadState(BinaryReader reader) => FloatVectorFormat.Read(reader, _velocity);
}
