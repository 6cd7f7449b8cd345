using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// The loss and the output layer's backward step. The row-local part runs as one job split across the kernel threads
/// by rows, so each row's outputs are still in cache for its whole path: the row's loss, its ∂loss/∂outputs and
/// (below a hidden layer) its ∂loss/∂Z of the top hidden layer. Every value is computed by the same operations in the
/// same order whichever thread runs its row, and the row losses are summed afterwards in row order, so results do not
/// depend on the thread count.
/// </summary>
internal sealed unsafe class OutputLayerJob : IKernelJob
{
    [ThreadStatic] private static OutputLayerJob? _perThread;

    private BatchWorkspace _workspace = null!;
    private float* _parameters;
    private int _parameterCount;
    private int _rows;
    private LossKind _loss;
    private float _huberDelta;
    private bool _weighted;
    private double _weightSum;
    private double[] _rowLosses = [];

    /// <summary>
    /// Returns the weighted mean loss of the first <paramref name="rows"/> rows after a forward pass, and leaves the
    /// output layer's weight and bias gradients in <see cref="BatchWorkspace.Gradient"/> and (below a hidden layer)
    /// ∂loss/∂Z of the top hidden layer in its <see cref="BatchWorkspace.PreActivationGradient"/> buffer, where the
    /// backward pass through the hidden layers starts.
    /// </summary>
    public static double Run(ReadOnlySpan<float> parameters, BatchWorkspace workspace, int rows, LossKind loss,
        float huberDelta, ReadOnlySpan<float> weights)
    {
        var value = RowLocalPart(parameters, workspace, rows, loss, huberDelta, weights);
        var top = workspace.Layout.LayerCount - 1;
        Backpropagation.ParameterGradients(workspace, top, rows);
        return value;
    }

    private static double RowLocalPart(ReadOnlySpan<float> parameters, BatchWorkspace workspace, int rows, LossKind loss,
        float huberDelta, ReadOnlySpan<float> weights)
    {
        var weightSum = Losses.WeightSum(weights, rows);
        if (!(weightSum > 0))
        {
            // No information in the batch: zero loss and gradient, as Losses.Evaluate gives.
            workspace.PreActivationGradient(workspace.Layout.LayerCount - 1).AsSpan(0, rows * workspace.Layout.OutputCount).Clear();
            InputGradient(parameters, workspace, 0, rows);
            return 0;
        }
        Span<double> total = stackalloc double[1];
        RunRowLocal(parameters, workspace, rows, loss, huberDelta, weights, weightSum, [0, rows], total);
        return total[0] / weightSum;
    }

    /// <summary>
    /// The row-local part alone for the first <paramref name="rows"/> rows after a forward pass, each row's loss
    /// gradient scaled by 1/<paramref name="weightSum"/> (which may cover rows of other processes): leaves ∂loss/∂Z of the
    /// output layer and (below a hidden layer) of the top hidden layer in the workspace, and writes into
    /// <paramref name="lossSums"/>[k] the sum of wᵣ·lᵣ, in row order, over rows <paramref name="bounds"/>[k] to
    /// <paramref name="bounds"/>[k + 1].
    /// </summary>
    public static void RunRowLocal(ReadOnlySpan<float> parameters, BatchWorkspace workspace, int rows, LossKind loss,
        float huberDelta, ReadOnlySpan<float> weights, double weightSum, ReadOnlySpan<int> bounds, Span<double> lossSums)
    {
        var job = _perThread ??= new OutputLayerJob();
        if (job._rowLosses.Length < rows)
            job._rowLosses = new double[rows];
        fixed (float* p = parameters)
        {
            job._workspace = workspace;
            job._parameters = p;
            job._parameterCount = parameters.Length;
            job._rows = rows;
            job._loss = loss;
            job._huberDelta = huberDelta;
            job._weighted = !weights.IsEmpty;
            job._weightSum = weightSum;
            try
            {
                KernelThreads.Run(job, rows >= 32 ? KernelThreads.ThreadCount : 1);
            }
            finally
            {
                job._parameters = null;
                job._workspace = null!;
            }
        }
        var losses = job._rowLosses;
        for (var k = 0; k + 1 < bounds.Length; k++)
        {
            double total = 0;
            for (var r = bounds[k]; r < bounds[k + 1]; r++)
            {
                var w = weights.IsEmpty ? 1.0 : weights[r];
                total += w * losses[r];
            }
            lossSums[k] = total;
        }
    }

    /// <inheritdoc/>
    public void Execute(int part, int parts)
    {
        var (start, end) = TileRows.Part(_rows, part, parts);
        if (start >= end)
            return;
        var workspace = _workspace;
        var outputCount = workspace.Layout.OutputCount;
        var outputs = workspace.Outputs(_rows);
        var targets = workspace.Targets.AsSpan(0, _rows * Losses.TargetWidth(_loss, outputCount));
        ReadOnlySpan<float> weights = _weighted ? workspace.Weights.AsSpan(0, _rows) : default;
        var gradient = workspace.PreActivationGradient(workspace.Layout.LayerCount - 1).AsSpan(0, _rows * outputCount);
        for (var r = start; r < end; r++)
            _rowLosses[r] = Losses.RowLoss(_loss, _huberDelta, outputs, targets, weights, outputCount, _weightSum, gradient, r);
        InputGradient(new ReadOnlySpan<float>(_parameters, _parameterCount), workspace, start, end - start);
    }

    // The output layer's dA = dZ·Wᵀ carried to ∂loss/∂Z of the top hidden layer, for `count` rows from `start` on.
    private static void InputGradient(ReadOnlySpan<float> parameters, BatchWorkspace workspace, int start, int count)
    {
        var layout = workspace.Layout;
        var top = layout.LayerCount - 1;
        if (top == 0)
            return;
        var (fanIn, fanOut) = (layout.Widths[top], layout.Widths[top + 1]);
        DenseLayer.InputGradient(layout, parameters, top, workspace.PreActivationGradient(top).AsSpan(start * fanOut, count * fanOut),
            workspace.PreActivationGradient(top - 1).AsSpan(start * fanIn, count * fanIn), workspace.Below(top), start, count);
    }
}
