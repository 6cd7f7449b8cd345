namespace MLNetBackprop;

/// <summary>How a classification trainer weighs the classes.</summary>
public enum MlpClassWeighting
{
    /// <summary>Every class weighs 1, or as given by <c>ClassWeights</c>. The default.</summary>
    None = 0,
    /// <summary>
    /// Class c weighs n / (K·n_c) (scikit-learn's "balanced"): n training rows, K classes, n_c rows of class c
    /// (counts weighted by the example weights), so every class contributes equally to the loss.
    /// </summary>
    Balanced = 1,
}
