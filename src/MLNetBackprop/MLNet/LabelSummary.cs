using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.MLNet;

/// <summary>
/// What the trainers need to know of the training labels before training: rows and weight per class (classification)
/// and the label's moments (regression). Gathered as the rows are read, in memory or in a streaming first pass.
/// </summary>
internal sealed class LabelSummary
{
    /// <summary>A summary for labels of <paramref name="classCount"/> classes (0 for regression).</summary>
    public LabelSummary(int classCount)
    {
        ClassRows = new long[classCount];
        ClassWeights = new double[classCount];
    }

    /// <summary>Rows of each class.</summary>
    public long[] ClassRows { get; }
    /// <summary>Sum of the example weights of each class.</summary>
    public double[] ClassWeights { get; }
    /// <summary>The label's weighted moments.</summary>
    public LabelMoments Moments { get; } = new();
    /// <summary>Number of rows.</summary>
    public long Rows { get; private set; }
    /// <summary>Sum of the example weights.</summary>
    public double WeightSum { get; private set; }

    /// <summary>Number of classes with at least one row.</summary>
    public int ClassesPresent => ClassRows.Count(c => c > 0);

    /// <summary>Adds a row with target <paramref name="target"/> and example weight <paramref name="weight"/>.</summary>
    public void Add(float target, float weight)
    {
        Rows++;
        WeightSum += weight;
        if (ClassRows.Length > 0)
        {
            ClassRows[(int)target]++;
            ClassWeights[(int)target] += weight;
        }
        else
            Moments.Add(target, weight);
    }

    /// <summary>The summary of rows in memory.</summary>
    /// <summary>The summary as numbers, for <see cref="Merge"/>: rows, weight, rows and weight per class, moments.</summary>
    public double[] ToValues() =>
        [Rows, WeightSum, .. ClassRows.Select(c => (double)c), .. ClassWeights, Moments.WeightSum, Moments.Mean, Moments.SquaredDeviations];

    /// <summary>
    /// The summary of the rows of <paramref name="parts"/> summaries of <paramref name="classCount"/> classes laid out
    /// one after another by <see cref="ToValues"/>, merged in order.
    /// </summary>
    public static LabelSummary Merge(ReadOnlySpan<double> values, int classCount, int parts)
    {
        var merged = new LabelSummary(classCount);
        var width = values.Length / parts;
        for (var p = 0; p < parts; p++)
        {
            var part = values.Slice(p * width, width);
            merged.Rows += (long)part[0];
            merged.WeightSum += part[1];
            for (var c = 0; c < classCount; c++)
            {
                merged.ClassRows[c] += (long)part[2 + c];
                merged.ClassWeights[c] += part[2 + classCount + c];
            }
            merged.Moments.Add(part[^3], part[^2], part[^1]);
        }
        return merged;
    }

    /// <summary>The summary of every row of <paramref name="rows"/>.</summary>
    public static LabelSummary Of(TrainingSet rows, int classCount)
    {
        var summary = new LabelSummary(classCount);
        for (var r = 0; r < rows.RowCount; r++)
        {
            var weight = rows.Weights?[r] ?? 1f;
            // Rows of several targets (vector labels) are summarised per target by their trainer.
            if (rows.TargetWidth == 1)
                summary.Add(rows.Targets[r], weight);
            else
                (summary.Rows, summary.WeightSum) = (summary.Rows + 1, summary.WeightSum + weight);
        }
        return summary;
    }
}
