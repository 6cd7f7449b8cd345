namespace MLNetBackprop.Engine.Layers;

/// <summary>
/// The link functions that turn the network's raw outputs into probabilities, matching the losses it was trained
/// with: the logistic sigmoid for <see cref="LossKind.Logistic"/>, softmax for <see cref="LossKind.SoftmaxCrossEntropy"/>.
/// </summary>
internal static class OutputLink
{
    /// <summary>1 / (1 + e^-x), without overflow for large |x|.</summary>
    public static float Sigmoid(float x) => x >= 0 ? 1f / (1f + MathF.Exp(-x)) : MathF.Exp(x) / (1f + MathF.Exp(x));

    /// <summary>Softmax of <paramref name="logits"/> into <paramref name="probabilities"/> (shifted by the maximum for stability).</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        if (probabilities.Length < logits.Length)
            throw new ArgumentException($"probabilities holds {probabilities.Length} values for {logits.Length} logits.", nameof(probabilities));
        var max = float.NegativeInfinity;
        foreach (var z in logits)
            max = MathF.Max(max, z);
        var sum = 0f;
        for (var k = 0; k < logits.Length; k++)
            sum += probabilities[k] = MathF.Exp(logits[k] - max);
        for (var k = 0; k < logits.Length; k++)
            probabilities[k] /= sum;
    }
}
