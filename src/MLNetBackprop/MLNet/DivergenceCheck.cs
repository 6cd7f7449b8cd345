using System.Globalization;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.MLNet;

/// <summary>
/// Catches divergence that stays finite. The bridge only trains with losses whose sensible values are of
/// order 1 (cross-entropy, and squared or Huber error on a standardized label), so a final training loss
/// above <see cref="MaxSensibleLoss"/> means the outputs have blown up, typically from unnormalized features
/// such as 1e30; returning that model would hand the user garbage.
/// </summary>
internal static class DivergenceCheck
{
    /// <summary>A loss no working model of these losses reaches: outputs wrong by about a thousand times their scale.</summary>
    public const double MaxSensibleLoss = 1e6;

    public static void EnsureSensibleLoss(TrainingResult result, float learningRate)
    {
        if (result.History.Count == 0)
            return;
        var last = result.History[^1];
        if (last.TrainingLoss > MaxSensibleLoss)
            throw new TrainingDivergedException(string.Create(CultureInfo.InvariantCulture,
                $"Training diverged: after epoch {last.Epoch} the training loss is {last.TrainingLoss:G3}, where a working model " +
                $"is near 1 or below. ") + Divergence.Advice(learningRate));
    }
}
