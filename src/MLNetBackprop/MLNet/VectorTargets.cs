using System.Globalization;
using Microsoft.ML.Runtime;
using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.MLNet;

/// <summary>
/// What the trainers do to the rows of a vector label before the engine sees them: standardize each regression
/// target by its own weighted moments (NaN targets stay NaN, masked out of the loss), and give each label of a
/// multi-label row the class weight of its value.
/// </summary>
internal static class VectorTargets
{
    /// <summary>Each target's standardization from the rows where it is present; refuses a target present in no row.</summary>
    public static LabelScaling[] Scalings(TrainingSet rows, VectorLabel names, string column)
    {
        var width = rows.TargetWidth;
        var moments = Enumerable.Range(0, width).Select(_ => new LabelMoments()).ToArray();
        for (var r = 0; r < rows.RowCount; r++)
            for (var j = 0; j < width; j++)
                if (rows.Targets[r * width + j] is var value && !float.IsNaN(value))
                    moments[j].Add(value, rows.Weights?[r] ?? 1f);
        for (var j = 0; j < width; j++)
            if (!(moments[j].WeightSum > 0))
                throw new InvalidOperationException(
                    $"Label column '{column}' {names.Describe(j)} is missing (NaN) in every training row of non-zero weight; " +
                    "remove it from the label vector or supply values.");
        return moments.Select(LabelScaling.From).ToArray();
    }

    /// <summary>The rows with every present target standardized by <paramref name="scalings"/>.</summary>
    public static TrainingRows Standardized(TrainingRows rows, LabelScaling[] scalings)
    {
        var set = rows.InMemorySet;
        var targets = (float[])set.Targets.Clone();
        for (var i = 0; i < targets.Length; i++)
            targets[i] = scalings[i % scalings.Length].Standardize(targets[i]);
        return TrainingRows.InMemory(set.WithTargets(targets, set.Weights), 0)
            .WithAllRows(rows.AllRows is { } all ? Standardized(all, scalings) : null);
    }

    /// <summary>
    /// Refuses a multi-label label that is constant over the training rows, naming it: nothing can be learned of it
    /// and its probability would be a constant the data never tested.
    /// </summary>
    public static void CheckEveryLabelVaries(TrainingSet rows, VectorLabel names, string column)
    {
        var labels = rows.TargetWidth / 2;
        for (var j = 0; j < labels; j++)
        {
            var positives = 0;
            for (var r = 0; r < rows.RowCount; r++)
                positives += rows.Targets[r * 2 * labels + j] > 0.5f ? 1 : 0;
            if (positives == 0 || positives == rows.RowCount)
                throw new InvalidOperationException(
                    $"Label column '{column}' {names.Describe(j)} is {(positives == 0 ? "false" : "true")} in all {rows.RowCount} training rows; " +
                    "multi-label classification needs both values of every label. Drop that label from the vector.");
        }
    }

    /// <summary>
    /// The multi-label rows with each label's weight set to the class weight of its value: per label, [false, true]
    /// from <paramref name="options"/>' ClassWeights, or Balanced by that label's weighted positive rate (logged).
    /// Unchanged (every weight 1) without class weights.
    /// </summary>
    public static TrainingRows LabelWeighted(IChannel channel, TrainingRows rows, MlpClassificationOptionsBase options)
    {
        if (options.ClassWeights is null && options.ClassWeighting != MlpClassWeighting.Balanced)
            return rows;
        var set = rows.InMemorySet;
        var labels = set.TargetWidth / 2;
        var weights = new float[labels][];
        if (options.ClassWeights is { } given)
        {
            if (given.Length != 2)
                throw new ArgumentException(
                    $"Option ClassWeights has {given.Length} weights; a multi-label label's values are false and true, so it must have 2.", nameof(options.ClassWeights));
            Array.Fill(weights, given);
        }
        else
        {
            for (var j = 0; j < labels; j++)
            {
                double positive = 0, total = 0;
                for (var r = 0; r < set.RowCount; r++)
                {
                    var w = set.Weights?[r] ?? 1f;
                    total += w;
                    positive += set.Targets[r * 2 * labels + j] > 0.5f ? w : 0;
                }
                weights[j] = [(float)(total / (2 * (total - positive))), (float)(total / (2 * positive))];
            }
            channel.Info("Balanced class weights per label (false, true): " + string.Join("; ",
                weights.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w[0]:G4}, {w[1]:G4}"))) + ".");
        }
        return Weighted(rows, weights);
    }

    // The multi-label rows (and all the rows they were held out of) with each label's weight set to weights[label][value].
    private static TrainingRows Weighted(TrainingRows rows, float[][] weights)
    {
        var set = rows.InMemorySet;
        var labels = set.TargetWidth / 2;
        var targets = (float[])set.Targets.Clone();
        for (var r = 0; r < set.RowCount; r++)
            for (var j = 0; j < labels; j++)
                targets[r * 2 * labels + labels + j] = weights[j][targets[r * 2 * labels + j] > 0.5f ? 1 : 0];
        return TrainingRows.InMemory(set.WithTargets(targets, set.Weights), 0)
            .WithAllRows(rows.AllRows is { } all ? Weighted(all, weights) : null);
    }
}
