namespace MLNetBackprop.Engine.Optimizers;

/// <summary>
/// How a mini-batch of sparse rows updates the first layer's weights of the features the batch does not use (their
/// gradient is zero).
/// </summary>
internal enum SparseUpdate
{
    /// <summary>
    /// Only the weight rows of the batch's features (and every parameter above the first layer's weights) are updated,
    /// their moments included; the L2 penalty and weight decay act on those rows too. O(non-zeros) per update, as in
    /// TensorFlow's LazyAdam and PyTorch's SparseAdam: a row's moments decay only on the steps that use it.
    /// </summary>
    Lazy,

    /// <summary>Every parameter is updated on every step, as for dense rows: exactly the dense maths, O(parameters) per update.</summary>
    Dense,
}
