namespace MLNetBackprop.Engine.Kernels;

/// <summary>Element-wise activation applied after a dense layer.</summary>
internal enum ActivationKind
{
    /// <summary>f(x) = x. Used for output layers; the loss applies the link function.</summary>
    Identity = 0,
    /// <summary>f(x) = max(0, x). The default for hidden layers.</summary>
    Relu = 1,
    /// <summary>f(x) = x for x &gt; 0, else slope·x (slope 0.01).</summary>
    LeakyRelu = 2,
    /// <summary>f(x) = tanh(x).</summary>
    Tanh = 3,
    /// <summary>f(x) = 1 / (1 + e^-x).</summary>
    Sigmoid = 4,
    /// <summary>Gaussian error linear unit, tanh approximation: 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
    Gelu = 5,
}
