using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Engine.Optimizers;

/// <summary>Makes the mini-batch update rule the settings name (not L-BFGS, which drives its own iterations).</summary>
internal static class MiniBatchOptimizer
{
    /// <summary>The optimizer of <paramref name="s"/> for <paramref name="count"/> parameters.</summary>
    public static IOptimizer Create(TrainingSettings s, int count) => s.Optimizer switch
    {
        OptimizerKind.Sgd => new SgdOptimizer(count, s.LearningRate, s.Momentum, s.Nesterov),
        OptimizerKind.RmsProp => new RmsPropOptimizer(count, s.LearningRate, s.RmsPropDecay, s.Epsilon),
        OptimizerKind.Adam => new AdamOptimizer(count, s.LearningRate, s.Beta1, s.Beta2, s.Epsilon),
        _ => throw new ArgumentOutOfRangeException(nameof(s), s.Optimizer, "Not a mini-batch optimizer."),
    };
}
