using MLNetBackprop.Engine.Collective;
using MLNetBackprop.Engine.RowSources;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// The validation metrics of a sharded run, each rank evaluating the validation rows of its own shards (the row at
/// place p in shard p mod the shard count, as for training), or its own share of them (<see cref="RankRows"/>, one
/// shard per rank), and every rank getting the same totals, summed in shard order.
/// </summary>
internal sealed class ShardedValidation
{
    private readonly ShardedRows _rows;
    private readonly bool _weighted;
    private readonly WholeSetPass _evaluator;
    private readonly ShardPlan _plan;
    private readonly ShardReduction _reduction;
    private readonly int[][] _shardRows;

    /// <summary>Sets up the evaluation of the validation rows <paramref name="rows"/> with <paramref name="evaluator"/>'s workspace.</summary>
    public ShardedValidation(ShardedRows rows, bool weighted, WholeSetPass evaluator, ShardPlan plan)
    {
        (_rows, _weighted, _evaluator, _plan) = (rows, weighted, evaluator, plan);
        _reduction = new ShardReduction(plan, 0, WholeSetPass.EvaluationSums);
        _shardRows = rows.InMemory is { } set ? plan.LocalShardRows(set.Set.RowCount) : [];
    }

    /// <summary>Weighted mean data loss and, for classification, weighted accuracy over every rank's rows.</summary>
    public (double Loss, double? Accuracy) Evaluate(float[] parameters, BatchWorkspace workspace)
    {
        _reduction.ClearScalars();
        if (_rows.InMemory is { } set)
            for (var k = 0; k < _plan.LocalShardCount; k++)
            {
                using var pass = set.StartRows(workspace, _shardRows[k]);
                _evaluator.AddEvaluation(pass, _weighted, parameters, _reduction.Scalars(k));
            }
        else
        {
            using var pass = _rows.Share!.StartInOrder(workspace);
            _evaluator.AddEvaluation(pass, _weighted, parameters, _reduction.Scalars(0));
        }
        Span<double> totals = stackalloc double[WholeSetPass.EvaluationSums];
        _reduction.SumScalars(totals);
        return _evaluator.Metrics(totals);
    }
}
