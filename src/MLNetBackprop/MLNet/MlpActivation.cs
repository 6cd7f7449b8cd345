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
