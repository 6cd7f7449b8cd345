namespace MLNetBackprop.MLNet;

/// <summary>
/// Standardization of a regression label: the network learns (label − Mean) / Scale, and scores go back
/// through <see cref="ToLabel"/>.
/// </summary>
internal readonly record struct LabelScaling(float Mean, float Scale)
{
    /// <summary>Standardization by the label's weighted mean and standard deviation; a constant label gets scale 1.</summary>
    public static LabelScaling From(LabelMoments moments)
    {
        if (!(moments.WeightSum > 0))
            return new LabelScaling(0, 1);
        var (mean, std) = (moments.Mean, moments.StandardDeviation);
        return new LabelScaling((float)mean, std > 1e-12 * Math.Max(1, Math.Abs(mean)) && double.IsFinite(std) ? (float)std : 1f);
    }

    /// <summary>The standardized value of label <paramref name="label"/>.</summary>
    public float Standardize(float label) => (label - Mean) / Scale;

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
