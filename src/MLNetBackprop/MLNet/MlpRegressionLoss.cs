namespace MLNetBackprop;

/// <summary>Loss minimised by the MLP regression trainer.</summary>
public enum MlpRegressionLoss
{
    /// <summary>½(score − label)². The default.</summary>
    SquaredError = 0,
    /// <summary>Huber loss: squared near the label, linear beyond <c>HuberDelta</c>; robust to outliers.</summary>
    Huber = 1,
}
