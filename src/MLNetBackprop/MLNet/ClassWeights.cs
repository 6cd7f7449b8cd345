using Microsoft.ML.Runtime;
using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.MLNet;

/// <summary>Class weights for skewed classes: given per class, or "balanced" (inversely proportional to class frequency).</summary>
internal static class ClassWeights
{
    /// <summary>
    /// Multiplies the training rows' example weights by the class weights <paramref name="options"/> asks for (none:
    /// the rows unchanged). <paramref name="classCount"/> is the number of classes the label type has.
    /// </summary>
    public static TrainingSet Apply(IChannel channel, TrainingSet rows, int classCount, MlpClassificationOptionsBase options)
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
            var counts = new double[classCount];
            for (var r = 0; r < rows.RowCount; r++)
                counts[(int)rows.Targets[r]] += rows.Weights?[r] ?? 1f;
            var present = counts.Count(c => c > 0);
            var total = counts.Sum();
            classWeights = counts.Select(c => c > 0 ? (float)(total / (present * c)) : 0f).ToArray();
            channel.Info($"Balanced class weights: {string.Join(", ", classWeights.Select(w => w.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}.");
        }
        else
        {
            return rows;
        }
        var weights = new float[rows.RowCount];
        for (var r = 0; r < weights.Length; r++)
            weights[r] = (rows.Weights?[r] ?? 1f) * classWeights[(int)rows.Targets[r]];
        if (!weights.Any(w => w > 0))
            throw new ArgumentException("Option ClassWeights gives every training row the weight 0; nothing can be learned.", nameof(options.ClassWeights));
        return rows.WithTargets(rows.Targets, weights);
    }
}
