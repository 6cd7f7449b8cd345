namespace MLNetBackprop.Engine.Training;

/// <summary>What early stopping and reduce-on-plateau watch on the validation set.</summary>
internal enum StoppingMetric
{
    /// <summary>The validation loss (lower is better; no regularisation penalty).</summary>
    Loss = 0,
    /// <summary>The (weighted) fraction of validation rows classified correctly (higher is better).</summary>
    Accuracy = 1,
}
