namespace MLNetBackprop.Engine.Layers;

/// <summary>Training loss, applied to the network's raw (identity) outputs.</summary>
internal enum LossKind
{
    /// <summary>Softmax over K outputs, then cross-entropy against the class index target (0..K-1).</summary>
    SoftmaxCrossEntropy = 0,
    /// <summary>Sigmoid of the single output, then binary cross-entropy against a 0/1 target.</summary>
    Logistic = 1,
    /// <summary>½(output − target)², summed over the outputs, each against its own target (NaN: masked out).</summary>
    SquaredError = 2,
    /// <summary>Huber loss with threshold δ per output: quadratic within δ of its target, linear beyond (NaN: masked out).</summary>
    Huber = 3,
    /// <summary>
    /// Multi-label: a sigmoid per output and the binary cross-entropies summed, each weighted. A row's targets are its
    /// K labels (0 or 1) followed by their K weights (0 masks a label out).
    /// </summary>
    MultiLabelLogistic = 4,
}
