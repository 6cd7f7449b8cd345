using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Randomness;

namespace MLNetBackprop.Engine.Training;

/// <summary>Forward pass, loss, and the backward pass that fills the flat gradient, over one gathered batch.</summary>
internal static class Backpropagation
{
    /// <summary>
    /// Runs the network over the first <paramref name="rows"/> gathered rows (<see cref="BatchWorkspace.Inputs"/>, or
    /// <see cref="BatchWorkspace.SparseInputs"/> when the batch is sparse). With a
    /// <paramref name="dropout"/> generator, hidden layers that have a dropout rate draw a fresh mask (row by row,
    /// unit by unit) and pass their masked activations on; without one, dropout is inactive. With
    /// <paramref name="rowKeys"/>, one per row, the generator restarts at each row from its key and the layer, so a
    /// row's masks do not depend on the rows drawn before it (sharded training, where ranks hold different rows).
    /// </summary>
    public static void Forward(ReadOnlySpan<float> parameters, BatchWorkspace workspace, int rows, SeededRandom? dropout = null,
        ReadOnlySpan<long> rowKeys = default)
    {
        var layout = workspace.Layout;
        workspace.DropoutApplied = dropout is not null;
        ReadOnlySpan<float> input = workspace.SparseInputs is null ? workspace.Inputs : default;
        for (var l = 0; l < layout.LayerCount; l++)
        {
            var size = rows * layout.Widths[l + 1];
            var z = workspace.PreActivations[l].AsSpan(0, size);
            var top = l == layout.LayerCount - 1;
            // The hidden layers compute z = XW + b and a = f(z) in one pass, tile by tile while the tile is in cache.
            var a = top ? default : workspace.Activations[l].AsSpan(0, size);
            if (l == 0 && workspace.SparseInputs is { } sparse)
                DenseLayer.ForwardSparse(layout, parameters, sparse.Rows, z, a);
            else if (top)
                DenseLayer.Forward(layout, parameters, l, input, z, rows);
            else
                DenseLayer.ForwardActivated(layout, parameters, l, input, z, a, rows);
            if (!top && dropout is not null && workspace.Masks[l] is { } mask)
            {
                ApplyDropout(a, mask.AsSpan(0, size), workspace.Dropped[l]!.AsSpan(0, size), workspace.DropoutRates[l], dropout,
                    rowKeys, layout.Widths[l + 1], l);
                input = workspace.Dropped[l];
            }
            else
                input = workspace.Activations[l];
        }
    }

    // Inverted dropout: each unit is kept with probability 1 − p and then scaled by 1/(1 − p).
    private static void ApplyDropout(ReadOnlySpan<float> activations, Span<float> mask, Span<float> dropped, float rate, SeededRandom random,
        ReadOnlySpan<long> rowKeys, int width, int layer)
    {
        var keep = 1f / (1f - rate);
        for (var i = 0; i < mask.Length; i++)
        {
            if (!rowKeys.IsEmpty && i % width == 0)
                random.Reseed(rowKeys[i / width] ^ ((layer + 1L) * unchecked((long)0x9E3779B97F4A7C15UL)));
            var m = random.NextFloat() < rate ? 0f : keep;
            mask[i] = m;
            dropped[i] = activations[i] * m;
        }
    }

    /// <summary>
    /// Forward pass, loss and backward pass for the first <paramref name="rows"/> gathered rows. Returns the batch
    /// loss (weighted mean data loss plus the L2 penalty) and leaves ∂loss/∂parameters in
    /// <see cref="BatchWorkspace.Gradient"/>. L2 follows scikit-learn: (λ/2)·‖W‖²/rows on weights only; with a
    /// <paramref name="lazy"/> region, only on the weights it updates.
    /// </summary>
    public static double LossAndGradient(ReadOnlySpan<float> parameters, BatchWorkspace workspace, int rows,
        LossKind loss, float huberDelta, float l2, bool weighted, SeededRandom? dropout = null, LazyUpdateRegion? lazy = null)
    {
        Forward(parameters, workspace, rows, dropout);
        var weights = weighted ? workspace.Weights.AsSpan(0, rows) : default;
        var value = OutputLayerJob.Run(parameters, workspace, rows, loss, huberDelta, weights);
        BackwardThroughHiddenLayers(parameters, workspace, rows);
        if (l2 != 0 && lazy is not null)
            value += L2Penalty.Apply(workspace.Layout, parameters, workspace.Gradient, l2, rows, lazy.FirstLayerRanges);
        else if (l2 != 0)
        {
            value += L2Penalty.Apply(workspace.Layout, parameters, workspace.Gradient, l2, rows);
            workspace.NoteDenseFirstLayerGradient();
        }
        return value;
    }

    /// <summary>
    /// The weight and bias gradients of layer <paramref name="layer"/> from its ∂loss/∂Z in the workspace, into
    /// <see cref="BatchWorkspace.Gradient"/>; for the first layer of a sparse batch only in the rows of its features,
    /// or, when the workspace keeps it compact, in its first rows, one per feature in order.
    /// </summary>
    public static void ParameterGradients(BatchWorkspace workspace, int layer, int rows)
    {
        var dz = workspace.PreActivationGradient(layer);
        if (layer == 0 && workspace.SparseInputs is { } sparse)
        {
            var rowOf = workspace.CompactFirstLayerGradient ? sparse.PositionOf : default;
            if (!workspace.CompactFirstLayerGradient)
                workspace.StartSparseFirstLayerGradient(sparse.Features);
            DenseLayer.SparseParameterGradients(workspace.Layout, sparse.Rows, sparse.Features, rowOf, dz, workspace.Gradient);
            return;
        }
        if (layer == 0)
            workspace.NoteDenseFirstLayerGradient();
        DenseLayer.ParameterGradients(workspace.Layout, layer, workspace.LayerInput(layer), dz, workspace.Gradient, rows);
    }

    // Starts from ∂loss/∂Z of the top hidden layer, which the output layer's step left, and walks down the layers.
    private static void BackwardThroughHiddenLayers(ReadOnlySpan<float> parameters, BatchWorkspace workspace, int rows)
    {
        var layout = workspace.Layout;
        for (var l = layout.LayerCount - 2; l >= 1; l--)
            DenseLayer.Backward(layout, parameters, l, workspace.LayerInput(l), workspace.PreActivationGradient(l),
                workspace.Gradient, workspace.PreActivationGradient(l - 1), workspace.Below(l), rows);
        if (layout.LayerCount > 1)
            ParameterGradients(workspace, 0, rows); // nothing needs ∂loss/∂(network inputs)
    }
}
