namespace MLNetBackprop;

/// <summary>Activation applied after every hidden layer of an MLP trainer.</summary>
public enum MlpActivation
{
    /// <summary>max(0, x). The default: fast and well suited to deep and wide networks.</summary>
    Relu = 0,
    /// <summary>x for x &gt; 0, else 0.01·x: like ReLU, but units cannot die.</summary>
    LeakyRelu = 1,
    /// <summary>tanh(x).</summary>
    Tanh = 2,
    /// <summary>1 / (1 + e^-x).</summary>
    Sigmoid = 3,
    /// <summary>Gaussian error linear unit (tanh approximation).</summary>
    Gelu = 4,
    /// <summary>x: hidden layers stay linear (mostly useful for experiments).</summary>
    Identity = 5,
}

/// <summary>How an MLP trainer updates the weights from mini-batch gradients.</summary>
public enum MlpOptimizer
{
    /// <summary>Adam with bias correction. The default; robust to the learning rate.</summary>
    Adam = 0,
    /// <summary>Stochastic gradient descent with momentum (Nesterov by default).</summary>
    Sgd = 1,
}

/// <summary>Loss minimised by the MLP regression trainer.</summary>
public enum MlpRegressionLoss
{
    /// <summary>½(score − label)². The default.</summary>
    SquaredError = 0,
    /// <summary>Huber loss: squared near the label, linear beyond <c>HuberDelta</c>; robust to outliers.</summary>
    Huber = 1,
}
