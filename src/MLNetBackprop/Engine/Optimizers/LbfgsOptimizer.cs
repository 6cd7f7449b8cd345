using MLNetBackprop.Engine.Model;

namespace MLNetBackprop.Engine.Optimizers;

/// <summary>
/// Limited-memory BFGS on the full-batch objective (the mean loss over every row plus the L2 penalty, as
/// scikit-learn's <c>lbfgs</c> solver minimises). Each <see cref="Iterate"/> is one epoch: the two-loop recursion
/// over the last m correction pairs gives a direction, a backtracking line search (Armijo condition, c₁ = 1e-4,
/// halving the step) picks the step, and the pair (s, y) is kept only when sᵀy &gt; 0, so the implicit Hessian stays
/// positive definite. The first step is scaled to length 1; later ones start at 1. Dot products are in double.
/// </summary>
internal sealed class LbfgsOptimizer
{
    /// <summary>Evaluates the objective at the first argument, writes its gradient into the second, returns the value.</summary>
    public delegate double Objective(float[] parameters, float[] gradient);

    private const double ArmijoC1 = 1e-4;
    private const int MaxHalvings = 40;
    private const double GradientTolerance = 1e-7;

    private readonly Objective _objective;
    private readonly float[][] _s, _y;
    private readonly double[] _rho, _alpha;
    private readonly float[] _gradient, _trialGradient, _trial, _direction;
    private int _count, _newest = -1;
    private double _value = double.NaN;

    /// <summary>Creates the optimizer for <paramref name="parameterCount"/> parameters keeping <paramref name="history"/> pairs.</summary>
    public LbfgsOptimizer(int parameterCount, int history, Objective objective)
    {
        _objective = objective;
        _s = new float[history][];
        _y = new float[history][];
        for (var i = 0; i < history; i++)
        {
            _s[i] = new float[parameterCount];
            _y[i] = new float[parameterCount];
        }
        _rho = new double[history];
        _alpha = new double[history];
        _gradient = new float[parameterCount];
        _trialGradient = new float[parameterCount];
        _trial = new float[parameterCount];
        _direction = new float[parameterCount];
    }

    /// <summary>
    /// One iteration from <paramref name="parameters"/> (updated in place). Returns the objective at the new point and
    /// whether the optimizer has converged (gradient below 1e-7 in every component, or no step lowers the objective).
    /// </summary>
    public (double Value, bool Converged) Iterate(float[] parameters)
    {
        if (double.IsNaN(_value))
            _value = _objective(parameters, _gradient);
        if (!double.IsFinite(_value))
            return (_value, false);
        if (MaxAbs(_gradient) <= GradientTolerance)
            return (_value, true);
        ComputeDirection();
        var slope = Dot(_gradient, _direction);
        if (!(slope < 0))
        {
            // Not a descent direction (rounding): forget the curvature pairs and use steepest descent.
            _count = 0;
            for (var i = 0; i < _direction.Length; i++)
                _direction[i] = -_gradient[i];
            slope = Dot(_gradient, _direction);
        }
        var step = _count == 0 ? 1 / Math.Sqrt(Dot(_direction, _direction)) : 1.0;
        for (var halving = 0; halving < MaxHalvings; halving++, step *= 0.5)
        {
            var t = (float)step;
            for (var i = 0; i < _trial.Length; i++)
                _trial[i] = parameters[i] + t * _direction[i];
            var value = _objective(_trial, _trialGradient);
            if (!(value <= _value + ArmijoC1 * step * slope))
                continue;
            Remember(parameters);
            _trial.CopyTo(parameters, 0);
            _trialGradient.CopyTo(_gradient, 0);
            _value = value;
            return (value, MaxAbs(_gradient) <= GradientTolerance);
        }
        return (_value, true);
    }

    // Stores s = trial − x and y = g(trial) − g(x) as the newest pair when sᵀy > 0.
    private void Remember(float[] parameters)
    {
        var next = (_newest + 1) % _s.Length;
        var s = _s[next];
        var y = _y[next];
        for (var i = 0; i < s.Length; i++)
        {
            s[i] = _trial[i] - parameters[i];
            y[i] = _trialGradient[i] - _gradient[i];
        }
        var sy = Dot(s, y);
        if (!(sy > 1e-12 * Math.Sqrt(Dot(y, y) * Dot(s, s))) || !double.IsFinite(sy))
        {
            // The slot held the oldest pair when the memory is full; it is gone now.
            if (_count == _s.Length)
                _count--;
            return;
        }
        _rho[next] = 1 / sy;
        _newest = next;
        _count = Math.Min(_count + 1, _s.Length);
    }

    // d = −H·g by the two-loop recursion, with H₀ = (sᵀy / yᵀy)·I from the newest pair.
    private void ComputeDirection()
    {
        var q = _direction;
        _gradient.CopyTo(q, 0);
        var m = _s.Length;
        for (var k = 0; k < _count; k++)
        {
            var i = ((_newest - k) % m + m) % m;
            _alpha[i] = _rho[i] * Dot(_s[i], q);
            Axpy(-_alpha[i], _y[i], q);
        }
        if (_count > 0)
        {
            var gamma = 1 / (_rho[_newest] * Dot(_y[_newest], _y[_newest]));
            for (var j = 0; j < q.Length; j++)
                q[j] = (float)(gamma * q[j]);
        }
        for (var k = _count - 1; k >= 0; k--)
        {
            var i = ((_newest - k) % m + m) % m;
            var beta = _rho[i] * Dot(_y[i], q);
            Axpy(_alpha[i] - beta, _s[i], q);
        }
        for (var j = 0; j < q.Length; j++)
            q[j] = -q[j];
    }

    /// <summary>Writes the pairs, the current value and gradient for a checkpoint.</summary>
    public void SaveState(BinaryWriter writer)
    {
        writer.Write(_count);
        writer.Write(_newest);
        writer.Write(_value);
        FloatVectorFormat.Write(writer, _gradient);
        for (var i = 0; i < _s.Length; i++)
        {
            writer.Write(_rho[i]);
            FloatVectorFormat.Write(writer, _s[i]);
            FloatVectorFormat.Write(writer, _y[i]);
        }
    }

    /// <summary>Restores what <see cref="SaveState"/> wrote.</summary>
    public void LoadState(BinaryReader reader)
    {
        _count = reader.ReadInt32();
        _newest = reader.ReadInt32();
        if (_count < 0 || _count > _s.Length || _newest < -1 || _newest >= _s.Length)
            throw new InvalidDataException("The checkpoint's L-BFGS history does not match the history size.");
        _value = reader.ReadDouble();
        FloatVectorFormat.Read(reader, _gradient);
        for (var i = 0; i < _s.Length; i++)
        {
            _rho[i] = reader.ReadDouble();
            FloatVectorFormat.Read(reader, _s[i]);
            FloatVectorFormat.Read(reader, _y[i]);
        }
    }

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
            sum += (double)a[i] * b[i];
        return sum;
    }

    private static void Axpy(double alpha, float[] x, float[] y)
    {
        for (var i = 0; i < y.Length; i++)
            y[i] = (float)(y[i] + alpha * x[i]);
    }

    private static double MaxAbs(float[] values)
    {
        double max = 0;
        foreach (var v in values)
            max = Math.Max(max, Math.Abs(v));
        return max;
    }
}
