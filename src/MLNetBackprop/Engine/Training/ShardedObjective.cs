using MLNetBackprop.Engine.Collective;
using MLNetBackprop.Engine.Model;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// L-BFGS's objective over rows split into gradient shards (<see cref="ShardPlan"/>): each rank passes over the rows of
/// its own shards (every row in memory) or its share of the rows (one shard per rank), and every rank gets the same loss and
/// gradient from the shard-ordered sums, one allreduce per evaluation. Within a shard it sums as
/// <see cref="WholeSetPass.LossAndGradient"/> does.
/// </summary>
internal sealed class ShardedObjective
{
    private const int LossSum = 0, WeightSum = 1;

    private readonly ShardedRows _data;
    private readonly bool _weighted;
    private readonly TrainingSettings _settings;
    private readonly NetworkLayout _layout;
    private readonly BatchWorkspace _workspace;
    private readonly ShardPlan _plan;
    private readonly ShardReduction _reduction;
    private readonly int[][] _shardRows;

    /// <summary>Sets up the objective over <paramref name="data"/>, a workspace-full of rows at a time.</summary>
    public ShardedObjective(ShardedRows data, bool weighted, TrainingSettings settings, NetworkLayout layout, BatchWorkspace workspace, ShardPlan plan)
    {
        (_data, _weighted, _settings, _layout, _workspace, _plan) = (data, weighted, settings, layout, workspace, plan);
        _reduction = new ShardReduction(plan, layout.ParameterCount, scalarWidth: 2);
        _shardRows = data.InMemory is null ? []
            : Enumerable.Range(0, plan.LocalShardCount).Select(k => plan.RowsOf(k, checked((int)data.RowCount))).ToArray();
    }

    /// <summary>
    /// The mean loss over all training rows (weighted) plus the L2 penalty over all rows, with its gradient in
    /// <paramref name="gradient"/>.
    /// </summary>
    public double LossAndGradient(float[] parameters, float[] gradient)
    {
        _reduction.ClearScalars();
        for (var k = 0; k < _plan.LocalShardCount; k++)
            AccumulateShard(parameters, k);
        Span<double> totals = stackalloc double[2];
        _reduction.SumSlots(gradient);
        _reduction.SumScalars(totals);
        var inverse = (float)(1 / totals[WeightSum]);
        for (var i = 0; i < gradient.Length; i++)
            gradient[i] *= inverse;
        var value = totals[LossSum] / totals[WeightSum];
        if (_settings.L2 != 0)
            value += L2Penalty.Apply(_layout, parameters, gradient, _settings.L2, _data.RowCount);
        return value;
    }

    // Shard k's weighted gradient, loss and weight sums over its rows, chunk by chunk in row order.
    private void AccumulateShard(float[] parameters, int k)
    {
        var slot = _reduction.Slot(k);
        slot.Clear();
        var scalars = _reduction.Scalars(k);
        using var pass = _data.InMemory is { } inMemory ? inMemory.StartRows(_workspace, _shardRows[k]) : _data.Share!.StartInOrder(_workspace);
        while (pass.Next(out var weightSum) is var rows and > 0)
        {
            if (!(weightSum > 0))
                continue;
            var loss = Backpropagation.LossAndGradient(parameters, _workspace, rows, _settings.Loss, _settings.HuberDelta, 0f, _weighted);
            scalars[LossSum] += weightSum * loss;
            scalars[WeightSum] += weightSum;
            var scale = (float)weightSum;
            var g = _workspace.Gradient;
            for (var i = 0; i < slot.Length; i++)
                slot[i] += scale * g[i];
        }
    }
}
