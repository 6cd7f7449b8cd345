using MLNetBackprop.Engine.Collective;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// L-BFGS's objective over rows split into gradient shards (<see cref="ShardPlan"/>): each rank passes over the rows of
/// its own shards (every row in memory) or its share of the rows (one shard per rank), and every rank gets the same loss and
/// gradient from the shard-ordered sums, one allreduce per evaluation. Within a shard it sums as
/// <see cref="WholeSetPass.LossAndGradient"/> does.
/// </summary>
internal sealed class ShardedObjective
{
    private readonly ShardedRows _data;
    private readonly bool _weighted;
    private readonly WholeSetPass _pass;
    private readonly BatchWorkspace _workspace;
    private readonly ShardPlan _plan;
    private readonly ShardReduction _reduction;
    private readonly int[][] _shardRows;

    /// <summary>
    /// Sets up the objective over <paramref name="data"/>, a workspace-full of rows at a time, with
    /// <paramref name="pass"/>'s sums over <paramref name="workspace"/>.
    /// </summary>
    public ShardedObjective(ShardedRows data, bool weighted, WholeSetPass pass, BatchWorkspace workspace, ShardPlan plan, int parameterCount)
    {
        (_data, _weighted, _pass, _workspace, _plan) = (data, weighted, pass, workspace, plan);
        _reduction = new ShardReduction(plan, parameterCount, WholeSetPass.ObjectiveSums);
        _shardRows = data.InMemory is null ? [] : plan.LocalShardRows(checked((int)data.RowCount));
    }

    /// <summary>
    /// The mean loss over all training rows (weighted) plus the L2 penalty over all rows, with its gradient in
    /// <paramref name="gradient"/>.
    /// </summary>
    public double LossAndGradient(float[] parameters, float[] gradient)
    {
        _reduction.ClearScalars();
        for (var k = 0; k < _plan.LocalShardCount; k++)
        {
            var slot = _reduction.Slot(k);
            slot.Clear();
            using var pass = _data.InMemory is { } inMemory ? inMemory.StartRows(_workspace, _shardRows[k]) : _data.Share!.StartInOrder(_workspace);
            _pass.AddLossAndGradient(pass, _weighted, parameters, slot, _reduction.Scalars(k));
        }
        Span<double> totals = stackalloc double[WholeSetPass.ObjectiveSums];
        _reduction.SumSlots(gradient);
        _reduction.SumScalars(totals);
        return _pass.FinishObjective(parameters, gradient, totals, _data.RowCount);
    }
}
