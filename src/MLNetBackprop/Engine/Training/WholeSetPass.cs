using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.RowSources;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// Passes over a whole data set in row order, a workspace-full of rows at a time: L-BFGS's full-batch objective and
/// the validation metrics.
/// </summary>
internal sealed class WholeSetPass(IRowSource data, TrainingSettings settings, NetworkLayout layout, BatchWorkspace workspace)
{
    /// <summary>
    /// L-BFGS's objective: the mean loss over all training rows (weighted) plus the L2 penalty over all rows, with its
    /// gradient in <paramref name="gradient"/>.
    /// </summary>
    public double LossAndGradient(float[] parameters, float[] gradient)
    {
        Array.Clear(gradient);
        Span<double> sums = stackalloc double[ObjectiveSums];
        sums.Clear();
        using (var pass = data.StartInOrder(workspace))
            AddLossAndGradient(pass, data.HasWeights, parameters, gradient, sums);
        return FinishObjective(parameters, gradient, sums, data.RowCount);
    }

    /// <summary>How many sums <see cref="AddLossAndGradient"/> keeps: weighted loss and weight.</summary>
    public const int ObjectiveSums = 2;

    /// <summary>
    /// Adds to <paramref name="gradient"/> each batch's gradient (no penalty) of <paramref name="pass"/> times its
    /// weight, and to <paramref name="sums"/> its weighted loss and its weight, batch by batch in the pass's order.
    /// </summary>
    public void AddLossAndGradient(IRowPass pass, bool weighted, float[] parameters, Span<float> gradient, Span<double> sums)
    {
        while (pass.Next(out var weightSum) is var rows and > 0)
        {
            if (!(weightSum > 0))
                continue;
            var loss = Backpropagation.LossAndGradient(parameters, workspace, rows, settings.Loss, settings.HuberDelta, 0f, weighted);
            sums[0] += weightSum * loss;
            sums[1] += weightSum;
            var scale = (float)weightSum;
            var g = workspace.Gradient;
            for (var i = 0; i < gradient.Length; i++)
                gradient[i] += scale * g[i];
        }
    }

    /// <summary>
    /// The objective from <see cref="AddLossAndGradient"/>'s sums over all <paramref name="rowCount"/> rows: the
    /// gradient divided by the weight, and the mean loss, each with the L2 penalty.
    /// </summary>
    public double FinishObjective(float[] parameters, float[] gradient, ReadOnlySpan<double> sums, long rowCount)
    {
        var inverse = (float)(1 / sums[1]);
        for (var i = 0; i < gradient.Length; i++)
            gradient[i] *= inverse;
        var value = sums[0] / sums[1];
        if (settings.L2 != 0)
            value += L2Penalty.Apply(layout, parameters, gradient, settings.L2, rowCount);
        return value;
    }

    /// <summary>
    /// Weighted mean data loss (no penalty) of <paramref name="set"/> and, for classification, weighted accuracy;
    /// dropout inactive.
    /// </summary>
    public (double Loss, double? Accuracy) Evaluate(IRowSource set, float[] parameters)
    {
        Span<double> sums = stackalloc double[EvaluationSums];
        sums.Clear();
        using (var pass = set.StartInOrder(workspace))
            AddEvaluation(pass, set.HasWeights, parameters, sums);
        return Metrics(sums);
    }

    /// <summary>How many sums <see cref="AddEvaluation"/> keeps: weighted loss, weight, weighted correct rows.</summary>
    public const int EvaluationSums = 3;

    /// <summary>
    /// Adds to <paramref name="sums"/> the weighted loss, the weight and the weight of correctly classified rows of
    /// the batches of <paramref name="pass"/>, batch by batch in its order.
    /// </summary>
    public void AddEvaluation(IRowPass pass, bool weighted, float[] parameters, Span<double> sums)
    {
        var outputs = layout.OutputCount;
        var width = Losses.TargetWidth(settings.Loss, outputs);
        while (pass.Next(out var weightSum) is var rows and > 0)
        {
            if (!(weightSum > 0))
                continue;
            Backpropagation.Forward(parameters, workspace, rows);
            var output = workspace.Outputs(rows);
            // Losses.Evaluate also writes the loss gradient, which nothing here needs: the output layer's buffer takes it.
            var loss = Losses.Evaluate(settings.Loss, settings.HuberDelta, output, workspace.Targets.AsSpan(0, rows * width),
                weighted ? workspace.Weights.AsSpan(0, rows) : default, outputs,
                workspace.PreActivationGradient(layout.LayerCount - 1));
            sums[0] += loss * weightSum;
            sums[1] += weightSum;
            for (var r = 0; r < rows; r++)
                sums[2] += workspace.Weights[r] * Correct(output.Slice(r * outputs, outputs), workspace.Targets.AsSpan(r * width, width));
        }
    }

    /// <summary>The mean loss and (for classification) the accuracy from <see cref="AddEvaluation"/>'s sums.</summary>
    public (double Loss, double? Accuracy) Metrics(ReadOnlySpan<double> sums)
    {
        if (!(sums[1] > 0))
            return (double.NaN, null);
        var accuracy = settings.Loss is LossKind.SoftmaxCrossEntropy or LossKind.Logistic or LossKind.MultiLabelLogistic ? sums[2] / sums[1] : (double?)null;
        return (sums[0] / sums[1], accuracy);
    }

    // 1 for a correct row, 0 for a wrong one; for multi-label the share of its labels (not masked out) predicted right.
    private double Correct(ReadOnlySpan<float> output, ReadOnlySpan<float> targets)
    {
        if (settings.Loss == LossKind.Logistic)
            return output[0] > 0 == targets[0] > 0.5f ? 1 : 0;
        if (settings.Loss == LossKind.MultiLabelLogistic)
        {
            var (right, counted) = (0, 0);
            for (var j = 0; j < output.Length; j++)
            {
                if (targets[output.Length + j] == 0)
                    continue;
                counted++;
                right += output[j] > 0 == targets[j] > 0.5f ? 1 : 0;
            }
            return counted == 0 ? 1 : right / (double)counted;
        }
        var argMax = 0;
        for (var k = 1; k < output.Length; k++)
            if (output[k] > output[argMax])
                argMax = k;
        return argMax == (int)targets[0] ? 1 : 0;
    }
}
