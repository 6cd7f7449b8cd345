using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.MLNet;

/// <summary>
/// Standardization of a regression label: the network learns (label − Mean) / Scale, and scores go back
/// through <see cref="ToLabel"/>.
/// </summary>
internal readonly record struct LabelScaling(float Mean, float Scale)
{
    /// <summary>Weighted mean and standard deviation of the targets; a constant label gets scale 1.</summary>
    public static LabelScaling Fit(TrainingSet rows)
    {
        double sumWeights = 0, sum = 0;
        for (var i = 0; i < rows.RowCount; i++)
        {
            var w = rows.Weights?[i] ?? 1f;
            sumWeights += w;
            sum += w * (double)rows.Targets[i];
        }
        if (sumWeights <= 0)
            return new LabelScaling(0, 1);
        var mean = sum / sumWeights;
        double squares = 0;
        for (var i = 0; i < rows.RowCount; i++)
        {
            var d = rows.Targets[i] - mean;
            squares += (rows.Weights?[i] ?? 1f) * d * d;
        }
        var std = Math.Sqrt(squares / sumWeights);
        return new LabelScaling((float)mean, std > 1e-12 * Math.Max(1, Math.Abs(mean)) && double.IsFinite(std) ? (float)std : 1f);
    }

    /// <summary>The same rows with standardized targets (features and weights shared, not copied).</summary>
    public TrainingSet Standardize(TrainingSet rows)
    {
        var targets = new float[rows.RowCount];
        for (var i = 0; i < targets.Length; i++)
            targets[i] = (rows.Targets[i] - Mean) / Scale;
        return rows.WithTargets(targets, rows.Weights);
    }

    /// <summary>Maps a network output back to label units.</summary>
    public float ToLabel(float output) => output * Scale + Mean;

    public void Write(BinaryWriter writer)
    {
        writer.Write(Mean);
        writer.Write(Scale);
    }

    public static LabelScaling Read(BinaryReader reader)
    {
        var mean = reader.ReadSingle();
        var scale = reader.ReadSingle();
        if (!float.IsFinite(mean) || !float.IsFinite(scale) || scale <= 0)
            throw new InvalidDataException($"The label scaling (mean {mean}, scale {scale}) is not valid.");
        return new LabelScaling(mean, scale);
    }
}
