namespace MLNetBackprop.Engine;

/// <summary>How parameters are updated from mini-batch gradients.</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent, optionally with (Nesterov) momentum.</summary>
    Sgd = 0,
    /// <summary>Adam (Kingma and Ba, 2015) with bias correction.</summary>
    Adam = 1,
}
