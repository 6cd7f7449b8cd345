using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Layers;


namespace MLNetBackprop.Engine.Training;

public static partial class NetworkTrainer
{
    // Passes over a whole data set in order: L-BFGS's full-batch objective and the validation metrics.
    private sealed partial class TrainingLoop
    {
        // The mean loss over all rows (weighted) plus the L2 penalty over all rows, and its gradient: L-BFGS's objective.
        private double FullBatchLossAndGradient(float[] parameters, float[] gradient)
        {
            Array.Clear(gradient);
            var weighted = _data.Weights is not null;
            double total = 0, totalWeight = 0;
            for (var start = 0; start < _data.RowCount; start += _workspace.Capacity)
            {
                var rows = Math.Min(_workspace.Capacity, _data.RowCount - start);
                for (var i = 0; i < rows; i++)
                    _sequential[i] = start + i;
                var weightSum = _workspace.Gather(_data, _sequential.AsSpan(0, rows));
                if (!(weightSum > 0))
                    continue;
                var loss = Backpropagation.LossAndGradient(parameters, _workspace, rows, _s.Loss, _s.HuberDelta, 0f, weighted);
                total += weightSum * loss;
                totalWeight += weightSum;
                var scale = (float)weightSum;
                var g = _workspace.Gradient;
                for (var i = 0; i < gradient.Length; i++)
                    gradient[i] += scale * g[i];
            }
            var inverse = (float)(1 / totalWeight);
            for (var i = 0; i < gradient.Length; i++)
                gradient[i] *= inverse;
            var value = total / totalWeight;
            if (_s.L2 != 0)
                value += Backpropagation.ApplyL2(_layout, parameters, gradient, _s.L2, _data.RowCount);
            return value;
        }

        // Weighted mean data loss (no penalty) and, for classification, weighted accuracy; dropout inactive.
        private (double Loss, double? Accuracy) Evaluate(TrainingSet set)
        {
            var weighted = set.Weights is not null;
            var outputs = _layout.OutputCount;
            double lossSum = 0, weightTotal = 0, correct = 0;
            for (var start = 0; start < set.RowCount; start += _workspace.Capacity)
            {
                var rows = Math.Min(_workspace.Capacity, set.RowCount - start);
                for (var i = 0; i < rows; i++)
                    _sequential[i] = start + i;
                var weightSum = _workspace.Gather(set, _sequential.AsSpan(0, rows));
                if (!(weightSum > 0))
                    continue;
                Backpropagation.Forward(_parameters, _workspace, rows);
                var output = _workspace.Outputs(rows);
                var loss = Losses.Evaluate(_s.Loss, _s.HuberDelta, output, _workspace.Targets.AsSpan(0, rows),
                    weighted ? _workspace.Weights.AsSpan(0, rows) : default, outputs, _workspace.PreActivationGradient(_layout.LayerCount - 1));
                lossSum += loss * weightSum;
                weightTotal += weightSum;
                for (var r = 0; r < rows; r++)
                    if (IsCorrect(output.Slice(r * outputs, outputs), _workspace.Targets[r]))
                        correct += _workspace.Weights[r];
            }
            if (!(weightTotal > 0))
                return (double.NaN, null);
            var accuracy = _s.Loss is LossKind.SoftmaxCrossEntropy or LossKind.Logistic ? correct / weightTotal : (double?)null;
            return (lossSum / weightTotal, accuracy);
        }

        private bool IsCorrect(ReadOnlySpan<float> output, float target)
        {
            if (_s.Loss == LossKind.Logistic)
                return output[0] > 0 == target > 0.5f;
            var argMax = 0;
            for (var k = 1; k < output.Length; k++)
                if (output[k] > output[argMax])
                    argMax = k;
            return argMax == (int)target;
        }
    }
}
