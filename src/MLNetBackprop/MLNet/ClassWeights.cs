using Microsoft.ML.Runtime;

namespace MLNetBackprop.MLNet;

/// <summary>Class weights for skewed classes: given per class, or "balanced" (inversely proportional to class frequency).</summary>
internal static class ClassWeights
{
    /// <summary>
    /// The weight of each class that <paramref name="options"/> asks for, from the training labels' summary
    /// (balanced weights are logged); null for none. <paramref name="classCount"/> is the number of classes the label
    /// type has.
    /// </summary>
    public static float[]? Resolve(IChannel channel, LabelSummary labels, int classCount, MlpClassificationOptionsBase options)
    {
        float[] classWeights;
        if (options.ClassWeights is { } given)
        {
            if (given.Length != classCount)
                throw new ArgumentException(
                    $"Option ClassWeights has {given.Length} weights; the label has {classCount} classes, so it must have {classCount}.", nameof(options.ClassWeights));
            classWeights = given;
        }
        else if (options.ClassWeighting == MlpClassWeighting.Balanced)
        {
            var counts = labels.ClassWeights;
            var present = counts.Count(c => c > 0);
            var total = counts.Sum();
            classWeights = counts.Select(c => c > 0 ? (float)(total / (present * c)) : 0f).ToArray();
            channel.Info($"Balanced class weights: {string.Join(", ", classWeights.Select(w => w.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}.");
        }
        else
        {
            return null;
        }
        if (!Enumerable.Range(0, classCount).Any(c => classWeights[c] > 0 && labels.ClassWeights[c] > 0))
            throw new ArgumentException("Option ClassWeights gives every training row the weight 0; nothing can be learned.", nameof(options.ClassWeights));
        return classWeights;
    }
}
