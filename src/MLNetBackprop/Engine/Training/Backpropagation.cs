using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;



namespace MLNetBackprop.Engine.Training;

/// <summary>Forward pass, loss, and the backward pass that fills the flat gradient, over one gathered batch.</summary>
internal static class Backpropagation
{
    /// <summary>
    /// Runs the network over the first <paramref name="rows"/> rows of <see cref="BatchWorkspace.Inputs"/>. With a
    /// <paramref name="dropout"/> generator, hidden layers that have a dropout rate draw a fresh mask (row by row,
    /// unit by unit) and pass their masked activations on; without one, dropout is inactive.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> parameters, BatchWorkspace workspace, int rows, SeededRandom? dropout = null)
    {
        var layout = workspace.Layout;
        workspace.DropoutApplied = dropout is not null;
        ReadOnlySpan<float> input = workspace.Inputs;
        for (var l = 0; l < layout.LayerCount; l++)
        {
            var size = rows * layout.Widths[l + 1];
            var z = workspace.PreActivations[l].AsSpan(0, size);
            if (l == layout.LayerCount - 1)
                DenseLayer.Forward(layout, parameters, l, input, z, rows);
            else
            {
                var a = workspace.Activations[l].AsSpan(0, size);
                // One pass: z = XW + b and a = f(z), tile by tile while the tile is in cache.
                DenseLayer.ForwardActivated(layout, parameters, l, input, z, a, rows);
                if (dropout is not null && workspace.Masks[l] is { } mask)
                {
                    ApplyDropout(a, mask.AsSpan(0, size), workspace.Dropped[l]!.AsSpan(0, size), workspace.DropoutRates[l], dropout);
                    input = workspace.Dropped[l];
                    continue;
                }
            }
            input = workspace.Activations[l];
        }
    }

    // Inverted dropout: each unit is kept with probability 1 − p and then scaled by 1/(1 − p).
    private static void ApplyDropout(ReadOnlySpan<float> activations, Span<float> mask, Span<float> dropped, float rate, SeededRandom random)
    {
        var keep = 1f / (1f - rate);
        for (var i = 0; i < mask.Length; i++)
        {
            var m = random.NextFloat() < rate ? 0f : keep;
            mask[i] = m;
            dropped[i] = activations[i] * m;
        }
    }

    /// <summary>
    /// Forward pass, loss and backward pass for the first <paramref name="rows"/> gathered rows. Returns the batch
    /// loss (weighted mean data loss plus the L2 penalty) and leaves ∂loss/∂parameters in
    /// <see cref="BatchWorkspace.Gradient"/>. L2 follows scikit-learn: (λ/2)·‖W‖²/rows on weights only.
    /// </summary>
    public static double LossAndGradient(ReadOnlySpan<float> parameters, BatchWorkspace workspace, int rows,
        LossKind loss, float huberDelta, float l2, bool weighted, SeededRandom? dropout = null)
    {
        var layout = workspace.Layout;
        Forward(parameters, workspace, rows, dropout);
        var weights = weighted ? workspace.Weights.AsSpan(0, rows) : default;
        var value = OutputTailJob.Run(parameters, workspace, rows, loss, huberDelta, weights, out var topDone);
        Backward(parameters, workspace, rows, topDone);
        if (l2 != 0)
            value += ApplyL2(layout, parameters, workspace.Gradient, l2, rows);
        return value;
    }

    /// <summary>
    /// The row-local work at the top of the network, split across the kernel threads by rows: the loss and
    /// ∂loss/∂outputs of each row, and (below a hidden layer) that row's dA = dZ·Wᵀ, dropout mask and activation
    /// derivative. Every value is computed by the same operations in the same order whichever thread runs its row,
    /// and the row losses are summed afterwards in row order, so results do not depend on the thread count.
    /// </summary>
    private sealed unsafe class OutputTailJob : IKernelJob
    {
        [ThreadStatic] private static OutputTailJob? _perThread;

        private BatchWorkspace _workspace = null!;
        private float* _parameters;
        private int _parameterCount;
        private int _rows;
        private LossKind _loss;
        private float _huberDelta;
        private bool _weighted;
        private double _weightSum;
        private double[] _rowLosses = [];

        public static double Run(ReadOnlySpan<float> parameters, BatchWorkspace workspace, int rows, LossKind loss,
            float huberDelta, ReadOnlySpan<float> weights, out bool topDone)
        {
            topDone = false;
            var layout = workspace.Layout;
            var outputSize = rows * layout.OutputCount;
            var delta = workspace.DeltaA.AsSpan(0, outputSize);
            var weightSum = Losses.WeightSum(weights, rows);
            if (!(weightSum > 0))
            {
                // No information in the batch: zero loss and gradient, as Losses.Evaluate gives; the backward pass
                // then runs in full.
                delta.Clear();
                return 0;
            }
            var job = _perThread ??= new OutputTailJob();
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
            topDone = layout.LayerCount > 1;
            double total = 0;
            var losses = job._rowLosses;
            for (var r = 0; r < rows; r++)
            {
                var w = weights.IsEmpty ? 1.0 : weights[r];
                total += w * losses[r];
            }
            return total / weightSum;
        }

        public void Execute(int part, int parts)
        {
            var (start, end) = TileRows.Part(_rows, part, parts);
            if (start >= end)
                return;
            var workspace = _workspace;
            var layout = workspace.Layout;
            var outputCount = layout.OutputCount;
            var outputs = workspace.Outputs(_rows);
            var targets = workspace.Targets.AsSpan(0, _rows);
            ReadOnlySpan<float> weights = _weighted ? workspace.Weights.AsSpan(0, _rows) : default;
            var gradient = workspace.DeltaA.AsSpan(0, _rows * outputCount);
            for (var r = start; r < end; r++)
                _rowLosses[r] = Losses.RowLoss(_loss, _huberDelta, outputs, targets, weights, outputCount, _weightSum, gradient, r);
            var l = layout.LayerCount - 1;
            if (l == 0)
                return;
            var fanIn = layout.Widths[l];
            var count = end - start;
            var parameters = new ReadOnlySpan<float>(_parameters, _parameterCount);
            var da = workspace.DeltaB.AsSpan(start * fanIn, count * fanIn);
            MatrixMultiply.MultiplyTransposedB(gradient.Slice(start * outputCount, count * outputCount),
                parameters.Slice(layout.WeightOffsets[l], fanIn * outputCount), da, count, outputCount, fanIn);
            BelowLayer(workspace, l, da, start * fanIn);
        }
    }

    // dA ⊙ mask (when dropout was applied) and then ⊙ f′(Z) of layer l − 1, for the elements from offset on.
    private static void BelowLayer(BatchWorkspace workspace, int l, Span<float> da, int offset)
    {
        var size = da.Length;
        if (workspace.DropoutApplied && workspace.Masks[l - 1] is { } mask)
        {
            // The layer saw a ⊙ mask, so ∂loss/∂a = ∂loss/∂(a ⊙ mask) ⊙ mask.
            var m = mask.AsSpan(offset, size);
            for (var i = 0; i < size; i++)
                da[i] *= m[i];
        }
        Activations.Backward(workspace.Layout.HiddenActivation, workspace.PreActivations[l - 1].AsSpan(offset, size),
            workspace.Activations[l - 1].AsSpan(offset, size), da);
    }

    // Starts from ∂loss/∂outputs in DeltaA and walks down the layers.
    private static void Backward(ReadOnlySpan<float> parameters, BatchWorkspace workspace, int rows, bool topDone)
    {
        var layout = workspace.Layout;
        var gradient = workspace.Gradient.AsSpan();
        var delta = workspace.DeltaA;
        var spare = workspace.DeltaB;
        for (var l = layout.LayerCount - 1; l >= 0; l--)
        {
            var fanIn = layout.Widths[l];
            var fanOut = layout.Widths[l + 1];
            var dz = delta.AsSpan(0, rows * fanOut);
            ReadOnlySpan<float> input = l == 0 ? workspace.Inputs : workspace.LayerInput(l);

            // dW = Aᵀ·dZ and db = column sums of dZ.
            MatrixMultiply.MultiplyTransposedA(input, dz, gradient.Slice(layout.WeightOffsets[l], fanIn * fanOut), rows, fanIn, fanOut);
            ColumnSums(dz, gradient.Slice(layout.BiasOffsets[l], fanOut), rows, fanOut);

            if (l == 0)
                break; // nothing needs ∂loss/∂inputs
            if (!topDone || l != layout.LayerCount - 1)
            {
                // dA below = dZ·Wᵀ, then dZ below = dA ⊙ f′(Z below) (the top layer's was done row by row with the loss).
                var size = rows * fanIn;
                var da = spare.AsSpan(0, size);
                MatrixMultiply.MultiplyTransposedB(dz, parameters.Slice(layout.WeightOffsets[l], fanIn * fanOut), da, rows, fanOut, fanIn);
                BelowLayer(workspace, l, da, 0);
            }
            (delta, spare) = (spare, delta);
        }
    }

    // db[j] = Σ_r dz[r, j], summed from 0 in row order (exactly what db.Clear() and one add per row give).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void ColumnSums(ReadOnlySpan<float> dz, Span<float> db, int rows, int width)
    {
        db.Clear();
        for (var r = 0; r < rows; r++)
            VectorOps.Axpy(1f, dz.Slice(r * width, width), db);
    }

    // Adds λ·W/rows to the weight gradients and returns the penalty (λ/2)·‖W‖²/rows.
    internal static double ApplyL2(NetworkLayout layout, ReadOnlySpan<float> parameters, Span<float> gradient, float l2, int rows)
    {
        double squares = 0;
        var scale = l2 / rows;
        for (var l = 0; l < layout.LayerCount; l++)
        {
            var count = layout.Widths[l] * layout.Widths[l + 1];
            var w = parameters.Slice(layout.WeightOffsets[l], count);
            squares += VectorOps.Dot(w, w);
            VectorOps.Axpy(scale, w, gradient.Slice(layout.WeightOffsets[l], count));
        }
        return 0.5 * l2 * squares / rows;
    }
}
