using MLNetBackprop.Engine.Kernels;

namespace MLNetBackprop.Engine;

/// <summary>Forward pass, loss, and the backward pass that fills the flat gradient, over one gathered batch.</summary>
internal static class Backpropagation
{
    /// <summary>Runs the network over the first <paramref name="rows"/> rows of <see cref="BatchWorkspace.Inputs"/>.</summary>
    public static void Forward(ReadOnlySpan<float> parameters, BatchWorkspace workspace, int rows)
    {
        var layout = workspace.Layout;
        ReadOnlySpan<float> input = workspace.Inputs;
        for (var l = 0; l < layout.LayerCount; l++)
        {
            var size = rows * layout.Widths[l + 1];
            var z = workspace.PreActivations[l].AsSpan(0, size);
            DenseLayer.Forward(layout, parameters, l, input, z, rows);
            if (l < layout.LayerCount - 1)
            {
                var a = workspace.Activations[l].AsSpan(0, size);
                z.CopyTo(a);
                Activations.Forward(layout.HiddenActivation, a);
            }
            input = workspace.Activations[l];
        }
    }

    /// <summary>
    /// Forward pass, loss and backward pass for the first <paramref name="rows"/> gathered rows. Returns the batch
    /// loss (weighted mean data loss plus the L2 penalty) and leaves ∂loss/∂parameters in
    /// <see cref="BatchWorkspace.Gradient"/>. L2 follows scikit-learn: (λ/2)·‖W‖²/rows on weights only.
    /// </summary>
    public static double LossAndGradient(ReadOnlySpan<float> parameters, BatchWorkspace workspace, int rows,
        LossKind loss, float huberDelta, float l2, bool weighted)
    {
        var layout = workspace.Layout;
        Forward(parameters, workspace, rows);
        var outputSize = rows * layout.OutputCount;
        var delta = workspace.DeltaA.AsSpan(0, outputSize);
        var weights = weighted ? workspace.Weights.AsSpan(0, rows) : default;
        var value = Losses.Evaluate(loss, huberDelta, workspace.Outputs(rows), workspace.Targets.AsSpan(0, rows),
            weights, layout.OutputCount, delta);
        Backward(parameters, workspace, rows);
        if (l2 != 0)
            value += ApplyL2(layout, parameters, workspace.Gradient, l2, rows);
        return value;
    }

    // Starts from ∂loss/∂outputs in DeltaA and walks down the layers.
    private static void Backward(ReadOnlySpan<float> parameters, BatchWorkspace workspace, int rows)
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
            ReadOnlySpan<float> input = l == 0 ? workspace.Inputs : workspace.Activations[l - 1];

            // dW = Aᵀ·dZ and db = column sums of dZ.
            MatrixMultiply.MultiplyTransposedA(input, dz, gradient.Slice(layout.WeightOffsets[l], fanIn * fanOut), rows, fanIn, fanOut);
            var db = gradient.Slice(layout.BiasOffsets[l], fanOut);
            db.Clear();
            for (var r = 0; r < rows; r++)
                VectorOps.Axpy(1f, dz.Slice(r * fanOut, fanOut), db);

            if (l == 0)
                break; // nothing needs ∂loss/∂inputs
            // dA below = dZ·Wᵀ, then dZ below = dA ⊙ f′(Z below).
            var size = rows * fanIn;
            var da = spare.AsSpan(0, size);
            MatrixMultiply.MultiplyTransposedB(dz, parameters.Slice(layout.WeightOffsets[l], fanIn * fanOut), da, rows, fanOut, fanIn);
            Activations.Backward(layout.HiddenActivation, workspace.PreActivations[l - 1].AsSpan(0, size),
                workspace.Activations[l - 1].AsSpan(0, size), da);
            (delta, spare) = (spare, delta);
        }
    }

    // Adds λ·W/rows to the weight gradients and returns the penalty (λ/2)·‖W‖²/rows.
    private static double ApplyL2(NetworkLayout layout, ReadOnlySpan<float> parameters, Span<float> gradient, float l2, int rows)
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
