namespace MLNetBackprop;

/// <summary>What early stopping, best-epoch selection and reduce-on-plateau watch on the validation set.</summary>
public enum MlpEarlyStoppingMetric
{
    /// <summary>The validation loss (lower is better). The default.</summary>
    Loss = 0,
    /// <summary>The validation accuracy (higher is better); classification only.</summary>
    Accuracy = 1,
}
