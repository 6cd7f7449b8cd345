using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>
/// An independent, deliberately naive double-precision implementation of the forward pass, the losses and the L2
/// penalty, written straight from the formulas. Tests differentiate it numerically to check the engine's gradients.
/// </summary>
internal static class ReferenceNetwork
{
    public static double Activate(ActivationKind kind, double x) => kind switch
    {
        ActivationKind.Identity => x,
        ActivationKind.Relu => Math.Max(0, x),
        ActivationKind.LeakyRelu => x > 0 ? x : 0.01 * x,
        ActivationKind.Tanh => Math.Tanh(x),
        ActivationKind.Sigmoid => 1 / (1 + Math.Exp(-x)),
        ActivationKind.Gelu => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Raw outputs [rows × outputCount]; <paramref name="minAbsHidden"/> is the smallest |pre-activation| of any hidden unit.</summary>
    public static double[] Forward(NetworkLayout layout, double[] p, float[] x, int rows, out double minAbsHidden)
    {
        minAbsHidden = double.PositiveInfinity;
        var input = x.Select(v => (double)v).ToArray();
        for (var l = 0; l < layout.LayerCount; l++)
        {
            var output = Affine(layout, p, l, input, rows);
            if (l < layout.LayerCount - 1)
                for (var i = 0; i < output.Length; i++)
                {
                    minAbsHidden = Math.Min(minAbsHidden, Math.Abs(output[i]));
                    output[i] = Activate(layout.HiddenActivation, output[i]);
                }
            input = output;
        }
        return input;
    }

    /// <summary>Layer <paramref name="layer"/>'s pre-activations input·W + b [rows × fanOut].</summary>
    public static double[] Affine(NetworkLayout layout, double[] p, int layer, double[] input, int rows)
    {
        int fanIn = layout.Widths[layer], fanOut = layout.Widths[layer + 1];
        var output = new double[rows * fanOut];
        for (var r = 0; r < rows; r++)
            for (var j = 0; j < fanOut; j++)
            {
                var z = p[layout.BiasOffsets[layer] + j];
                for (var i = 0; i < fanIn; i++)
                    z += input[r * fanIn + i] * p[layout.WeightOffsets[layer] + i * fanOut + j];
                output[r * fanOut + j] = z;
            }
        return output;
    }

    /// <summary>Targets per row: one class or 0/1 label, one value per output, or a label and a weight per output.</summary>
    public static int TargetWidth(LossKind kind, int outputCount) => kind switch
    {
        LossKind.SoftmaxCrossEntropy or LossKind.Logistic => 1,
        LossKind.MultiLabelLogistic => 2 * outputCount,
        _ => outputCount,
    };

    public static double RowLoss(LossKind kind, double delta, ReadOnlySpan<double> z, ReadOnlySpan<float> t)
    {
        double y = t[0];
        switch (kind)
        {
            case LossKind.SoftmaxCrossEntropy:
                double sum = 0;
                foreach (var v in z)
                    sum += Math.Exp(v);
                return -Math.Log(Math.Exp(z[(int)y]) / sum);
            case LossKind.Logistic:
                var s = 1 / (1 + Math.Exp(-z[0]));
                return -(y * Math.Log(s) + (1 - y) * Math.Log(1 - s));
            case LossKind.SquaredError:
                double se = 0;
                for (var j = 0; j < z.Length; j++)
                    if (!float.IsNaN(t[j]))
                        se += 0.5 * (z[j] - t[j]) * (z[j] - t[j]);
                return se;
            case LossKind.Huber:
                double h = 0;
                for (var j = 0; j < z.Length; j++)
                {
                    if (float.IsNaN(t[j]))
                        continue;
                    var r = Math.Abs(z[j] - t[j]);
                    h += r <= delta ? 0.5 * r * r : delta * (r - 0.5 * delta);
                }
                return h;
            case LossKind.MultiLabelLogistic:
                double bce = 0;
                for (var j = 0; j < z.Length; j++)
                {
                    var p = 1 / (1 + Math.Exp(-z[j]));
                    bce -= t[z.Length + j] * (t[j] * Math.Log(p) + (1 - t[j]) * Math.Log(1 - p));
                }
                return bce;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>Weighted mean loss of raw outputs (weights null = all ones).</summary>
    public static double MeanLoss(LossKind kind, double delta, double[] outputs, float[] targets, float[]? weights, int outputCount)
    {
        double total = 0, weightSum = 0;
        var width = TargetWidth(kind, outputCount);
        for (var r = 0; r < targets.Length / width; r++)
        {
            var w = weights?[r] ?? 1.0;
            total += w * RowLoss(kind, delta, outputs.AsSpan(r * outputCount, outputCount), targets.AsSpan(r * width, width));
            weightSum += w;
        }
        return total / weightSum;
    }

    /// <summary>The batch objective the engine minimises: mean loss + (λ/2)·‖W‖²/rows.</summary>
    public static double Objective(NetworkLayout layout, double[] p, float[] x, float[] targets, float[]? weights,
        LossKind kind, double delta, double l2, out double minAbsHidden)
    {
        var rows = targets.Length / TargetWidth(kind, layout.OutputCount);
        var outputs = Forward(layout, p, x, rows, out minAbsHidden);
        double squares = 0;
        for (var l = 0; l < layout.LayerCount; l++)
            for (var i = 0; i < layout.Widths[l] * layout.Widths[l + 1]; i++)
                squares += p[layout.WeightOffsets[l] + i] * p[layout.WeightOffsets[l] + i];
        return MeanLoss(kind, delta, outputs, targets, weights, layout.OutputCount) + 0.5 * l2 * squares / rows;
    }

    /// <summary>
    /// Checks the engine's <paramref name="value"/> and <paramref name="gradient"/> of the batch objective at
    /// <paramref name="parameters"/> against this reference and its central differences.
    /// </summary>
    public static void AssertMatchesFiniteDifferences(NetworkLayout layout, float[] parameters, float[] x, float[] targets,
        float[]? weights, LossKind kind, double delta, double l2, double value, ReadOnlySpan<float> gradient)
    {
        var p = parameters.Select(v => (double)v).ToArray();
        var reference = Objective(layout, p, x, targets, weights, kind, delta, l2, out var minAbsHidden);
        Assert.Equal(reference, value, 1e-5 * Math.Max(1, Math.Abs(reference)));
        // Central differences are meaningless across the ReLU kink: the data must keep every unit away from it.
        Assert.True(minAbsHidden > 1e-4, $"a hidden pre-activation is {minAbsHidden}; pick other test data");
        const double h = 1e-6;
        for (var i = 0; i < p.Length; i++)
        {
            var saved = p[i];
            p[i] = saved + h;
            var up = Objective(layout, p, x, targets, weights, kind, delta, l2, out _);
            p[i] = saved - h;
            var down = Objective(layout, p, x, targets, weights, kind, delta, l2, out _);
            p[i] = saved;
            var numeric = (up - down) / (2 * h);
            Assert.True(Math.Abs(gradient[i] - numeric) <= 1e-5 + 1e-4 * Math.Abs(numeric),
                $"parameter {i}: backprop {gradient[i]}, finite difference {numeric}");
        }
    }
}
