namespace MLNetBackprop;

/// <summary>How an MLP trainer updates the weights from mini-batch gradients.</summary>
public enum MlpOptimizer
{
    /// <summary>Adam with bias correction. The default; robust to the learning rate.</summary>
    Adam = 0,
    /// <summary>Stochastic gradient descent with momentum (Nesterov by default).</summary>
    Sgd = 1,
    /// <summary>
    /// AdamW: Adam with decoupled weight decay (<c>WeightDecay</c>, default 0.01 for this optimizer) instead of relying
    /// on the L2 penalty alone.
    /// </summary>
    AdamW = 2,
    /// <summary>RMSprop: steps scaled by a running root mean square of the gradient (decay <c>RmsPropDecay</c>).</summary>
    RmsProp = 3,
    /// <summary>
    /// Full-batch L-BFGS (a quasi-Newton method, as scikit-learn's and Spark's <c>lbfgs</c> solvers): often the best
    /// choice for small data sets. Each epoch is one iteration over all rows; <c>BatchSize</c>, the learning rate and
    /// its schedule do not apply, and dropout, gradient clipping and weight decay cannot be combined with it.
    /// </summary>
    Lbfgs = 4,
}
