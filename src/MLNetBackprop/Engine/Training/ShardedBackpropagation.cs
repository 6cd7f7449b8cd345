using MLNetBackprop.Engine.Collective;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Randomness;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// Forward pass, loss and backward pass over this rank's rows of a global batch, gathered shard after shard, with
/// each shard's parameter gradient in a slot of its own. Rows are independent until the parameter gradients sum over
/// them, so everything else runs over all the rows at once; only dW = Aᵀ·dZ and db are computed shard by shard.
/// </summary>
internal static class ShardedBackpropagation
{
    /// <summary>
    /// Runs the gathered rows, shard k being rows <paramref name="bounds"/>[k] to <paramref name="bounds"/>[k + 1], with
    /// the loss gradient of each row scaled by 1/<paramref name="weightSum"/> (the weight of the whole global batch).
    /// Leaves shard k's parameter gradient (no penalty) in <paramref name="reduction"/>'s slot k and its sum of
    /// wᵣ·lᵣ in <paramref name="lossSums"/>[k]. With a <paramref name="dropout"/> generator, each row's masks are
    /// drawn from its key in <paramref name="rowKeys"/>.
    /// </summary>
    public static void LossAndGradients(ReadOnlySpan<float> parameters, BatchWorkspace workspace, ReadOnlySpan<int> bounds,
        double weightSum, LossKind loss, float huberDelta, bool weighted, ShardReduction reduction, Span<double> lossSums,
        SeededRandom? dropout = null, ReadOnlySpan<long> rowKeys = default)
    {
        var rows = bounds[^1];
        var layout = workspace.Layout;
        for (var k = 0; k + 1 < bounds.Length; k++)
            if (bounds[k + 1] == bounds[k] || workspace.SparseInputs is not null)
                reduction.Slot(k).Clear(); // an empty shard adds zeros; a sparse one writes only its batch's features
        lossSums.Clear();
        if (rows == 0)
            return;
        Backpropagation.Forward(parameters, workspace, rows, dropout, rowKeys);
        var weights = weighted ? workspace.Weights.AsSpan(0, rows) : default;
        OutputLayerJob.RunRowLocal(parameters, workspace, rows, loss, huberDelta, weights, weightSum, bounds, lossSums);
        for (var layer = layout.LayerCount - 1; layer >= 0; layer--)
        {
            for (var k = 0; k + 1 < bounds.Length; k++)
                ShardParameterGradients(workspace, layer, bounds[k], bounds[k + 1] - bounds[k], reduction.Slot(k));
            // The output layer's input gradient came with the row-local part; nothing needs ∂loss/∂(network inputs).
            if (layer > 0 && layer < layout.LayerCount - 1)
                DenseLayer.InputGradient(layout, parameters, layer, workspace.PreActivationGradient(layer),
                    workspace.PreActivationGradient(layer - 1), workspace.Below(layer), 0, rows);
        }
    }

    // dW and db of `layer` over `count` rows from `start`, into the shard's slot of the flat gradient.
    private static void ShardParameterGradients(BatchWorkspace workspace, int layer, int start, int count, Span<float> slot)
    {
        if (count == 0)
            return;
        var layout = workspace.Layout;
        var fanOut = layout.Widths[layer + 1];
        var dz = workspace.PreActivationGradient(layer).AsSpan(start * fanOut, count * fanOut);
        if (layer == 0 && workspace.SparseInputs is { } sparse)
        {
            var all = sparse.Rows;
            var rows = new CsrSpan(all.Values, all.Indices, all.RowStarts.Slice(start, count + 1));
            DenseLayer.SparseParameterGradients(layout, rows, sparse.Features, default, dz, slot);
            return;
        }
        var fanIn = layout.Widths[layer];
        DenseLayer.ParameterGradients(layout, layer, workspace.LayerInput(layer).AsSpan(start * fanIn, count * fanIn), dz, slot, count);
    }
}
