namespace MLNetBackprop.Engine.Layers;

/// <summary>Training loss, applied to the network's raw (identity) outputs.</summary>
internal enum LossKind
{
    /// <summary>Softmax over K outputs, then cross-entropy against the class index target (0..K-1).</summary>
    SoftmaxCrossEntropy = 0,
    /// <summary>Sigmoid of the single output, then binary cross-entropy against a 0/1 target.</summary>
    Logistic = 1,
    /// <summary>½(output − target)², per output.</summary>
    SquaredError = 2,
    /// <summary>Huber loss with threshold δ: quadratic within δ of the target, linear beyond.</summary>
    Huber = 3,
}
