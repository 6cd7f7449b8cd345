namespace MLNetBackprop;

/// <summary>
/// How a mini-batch of sparse rows (text, one-hot) updates the first-layer weights of the features that none of its
/// rows contains. Rows are held sparse when few of their values are non-zero; dense rows, and
/// <see cref="MlpOptimizer.Lbfgs"/>, always update every weight.
/// </summary>
public enum MlpSparseUpdate
{
    /// <summary>
    /// Only the first-layer weights of the features in the batch move (with every weight above the first layer), and
    /// only their optimizer moments advance; L2 and weight decay act on them alone. An update costs the batch's
    /// non-zeros, not the model's size. This is TensorFlow's LazyAdam and PyTorch's SparseAdam: a rare feature's
    /// moments do not decay in the steps that lack it. The default.
    /// </summary>
    Lazy = 0,

    /// <summary>
    /// Every weight moves on every update, exactly as if the rows were dense (momentum keeps moving the weights of
    /// absent features, and L2 shrinks them). An update costs the whole model.
    /// </summary>
    Dense = 1,
}
