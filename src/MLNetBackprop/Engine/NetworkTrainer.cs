namespace MLNetBackprop.Engine;

/// <summary>Mini-batch backpropagation training loop.</summary>
public static class NetworkTrainer
{
    /// <summary>
    /// Trains a network on <paramref name="data"/>. Deterministic: the same data and settings give the same
    /// parameters bit for bit.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The loss or the parameters became non-finite.</exception>
    public static TrainingResult Train(TrainingSet data, TrainingSettings settings, Action<EpochReport>? onEpoch = null)
        => throw new NotImplementedException();
}
