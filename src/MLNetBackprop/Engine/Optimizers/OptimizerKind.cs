using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Engine.Optimizers;

/// <summary>How parameters are updated from gradients.</summary>
internal enum OptimizerKind
{
    /// <summary>Stochastic gradient descent, optionally with (Nesterov) momentum.</summary>
    Sgd = 0,
    /// <summary>Adam (Kingma and Ba, 2015) with bias correction; with <see cref="TrainingSettings.WeightDecay"/> it is AdamW.</summary>
    Adam = 1,
    /// <summary>RMSprop (Hinton): the step is scaled by a running root mean square of the gradient.</summary>
    RmsProp = 2,
    /// <summary>Full-batch limited-memory BFGS with a backtracking line search; one iteration per epoch.</summary>
    Lbfgs = 3,
}
