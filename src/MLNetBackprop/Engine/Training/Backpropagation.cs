using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Randomness;

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
        Forward(parameters, workspace, rows, dropout);
        var weights = weighted ? workspace.Weights.AsSpan(0, rows) : default;
        var value = OutputLayerJob.Run(parameters, workspace, rows, loss, huberDelta, weights);
        BackwardThroughHiddenLayers(parameters, workspace, rows);
        if (l2 != 0)
            value += L2Penalty.Apply(workspace.Layout, parameters, workspace.Gradient, l2, rows);
        return value;
    }

    // Starts from ∂loss/∂Z of the top hidden layer, which the output layer's step left, and walks down the layers.
    private static void BackwardThroughHiddenLayers(ReadOnlySpan<float> parameters, BatchWorkspace workspace, int rows)
    {
        var layout = workspace.Layout;
        for (var l = layout.LayerCount - 2; l >= 0; l--)
        {
            var inputGradient = l == 0 ? default : workspace.PreActivationGradient(l - 1).AsSpan();
            DenseLayer.Backward(layout, parameters, l, workspace.LayerInput(l), workspace.PreActivationGradient(l),
                workspace.Gradient, inputGradient, workspace.Below(l), rows);
        }
    }
}
