using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.Randomness;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// Everything of a training run that changes from epoch to epoch, and so everything a checkpoint must hold for a
/// resumed run to continue bit for bit.
/// </summary>
internal sealed class TrainingState(float[] parameters, SeededRandom random, int orderLength, IOptimizer? optimizer,
    LbfgsOptimizer? lbfgs, LearningRateSchedule schedule, ImprovementTracker tracker, bool keepBest)
{
    /// <summary>The network's flat parameters, updated in place.</summary>
    public float[] Parameters { get; } = parameters;
    /// <summary>The run's one generator: row order and dropout masks.</summary>
    public SeededRandom Random { get; set; } = random;
    /// <summary>
    /// The row order of the mini-batches, reshuffled from the last epoch's order (empty when the rows are streamed
    /// through a buffer smaller than the data, which draws each epoch afresh; see <see cref="RowSources.IRowSource.OrderLength"/>).
    /// </summary>
    public int[] Order { get; } = Enumerable.Range(0, orderLength).ToArray();
    /// <summary>The mini-batch update rule; null for L-BFGS.</summary>
    public IOptimizer? Optimizer { get; } = optimizer;
    /// <summary>The L-BFGS optimizer; null for mini-batch training.</summary>
    public LbfgsOptimizer? Lbfgs { get; } = lbfgs;
    /// <summary>The learning-rate schedule.</summary>
    public LearningRateSchedule Schedule { get; } = schedule;
    /// <summary>The early-stopping bookkeeping of the monitored value.</summary>
    public ImprovementTracker Tracker { get; } = tracker;
    /// <summary>The parameters of the best epoch so far, when a validation set picks the model; otherwise null.</summary>
    public float[]? Best { get; } = keepBest ? new float[parameters.Length] : null;
    /// <summary>One report per finished epoch.</summary>
    public List<EpochReport> History { get; } = [];
}
