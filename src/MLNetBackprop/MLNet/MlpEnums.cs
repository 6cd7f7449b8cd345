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
    /// <summary>
    /// AdamW: Adam with decoupled weight decay (<c>WeightDecay</c>, default 0.01 for this optimizer) instead of relying
    /// on the L2 penalty alone.
    /// </summary>
    AdamW = 2,
    /// <summary>RMSprop: steps scaled by a running root mean square of the gradient (decay <c>RmsPropDecay</c>).</summary>
    RmsProp = 3,
    /// <summary>
    /// Full-batch L-BFGS (a quasi-Newton method, as scikit-learn's and Spark's <c>lbfgs</c> solvers): often the best
    /// choice for small data sets. Each epoch is one iteration over all rows; <c>BatchSize</c>, the learning rate and
    /// its schedule do not apply, and dropout, gradient clipping and weight decay cannot be combined with it.
    /// </summary>
    Lbfgs = 4,
}

/// <summary>How the learning rate changes over the epochs of an MLP trainer.</summary>
public enum MlpLearningRateSchedule
{
    /// <summary>The learning rate every epoch. The default.</summary>
    Constant = 0,
    /// <summary>LearningRate / eᵖ at epoch e, p = <c>InverseScalingPower</c> (scikit-learn's <c>invscaling</c>, per epoch).</summary>
    InverseScaling = 1,
    /// <summary>Multiplied by <c>LearningRateDecayFactor</c> every <c>LearningRateStepEpochs</c> epochs.</summary>
    StepDecay = 2,
    /// <summary>Cosine annealing from the learning rate down to <c>MinimumLearningRate</c> over the epochs (after any warm-up).</summary>
    Cosine = 3,
    /// <summary>
    /// Multiplied by <c>LearningRateDecayFactor</c> (not below <c>MinimumLearningRate</c>) whenever the watched value
    /// (validation metric, else training loss) has not improved by <c>Tolerance</c> for <c>PlateauPatience</c> epochs.
    /// </summary>
    ReduceOnPlateau = 4,
}

/// <summary>What early stopping, best-epoch selection and reduce-on-plateau watch on the validation set.</summary>
public enum MlpEarlyStoppingMetric
{
    /// <summary>The validation loss (lower is better). The default.</summary>
    Loss = 0,
    /// <summary>The validation accuracy (higher is better); classification only.</summary>
    Accuracy = 1,
}

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

/// <summary>Loss minimised by the MLP regression trainer.</summary>
public enum MlpRegressionLoss
{
    /// <summary>½(score − label)². The default.</summary>
    SquaredError = 0,
    /// <summary>Huber loss: squared near the label, linear beyond <c>HuberDelta</c>; robust to outliers.</summary>
    Huber = 1,
}
