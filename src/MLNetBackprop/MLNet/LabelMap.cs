using MLNetBackprop.Engine.Checkpoints;
using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.MLNet;

/// <summary>
/// What the trainer does to each row's label and weight before the engine sees it: class weights multiply the
/// example weight, and a regression label is standardized. The same float arithmetic whether the rows are in memory
/// or streamed, so both train the same model.
/// </summary>
internal sealed record LabelMap(float[]? ClassWeights, LabelScaling? Scaling)
{
    /// <summary>No change.</summary>
    public static LabelMap None { get; } = new(null, null);

    /// <summary>Whether rows get weights from the map even without a weight column.</summary>
    public bool GivesWeights => ClassWeights is not null;

    /// <summary>The weight the engine sees for a row of class <paramref name="target"/> with example weight <paramref name="weight"/>.</summary>
    public float Weight(float target, float weight) => ClassWeights is { } classWeights ? weight * classWeights[(int)target] : weight;

    /// <summary>The target the engine sees for label value <paramref name="target"/>.</summary>
    public float Target(float target) => Scaling is { } scaling ? scaling.Standardize(target) : target;

    /// <summary>
    /// The fingerprint of streamed rows as the engine sees them: the rows' own (<paramref name="rows"/>) with this
    /// map's class weights and standardization folded in, so a checkpoint of other class weights is refused.
    /// </summary>
    public ulong Fingerprint(ulong rows)
    {
        var fingerprint = new DataFingerprint(rows);
        fingerprint.Add((uint)(ClassWeights?.Length ?? 0));
        fingerprint.Add(ClassWeights ?? []);
        fingerprint.Add(Scaling?.Mean ?? float.NaN);
        fingerprint.Add(Scaling?.Scale ?? float.NaN);
        return fingerprint.Value;
    }

    /// <summary>The rows in memory with their labels and weights mapped (features shared, not copied).</summary>
    public TrainingSet Apply(TrainingSet rows)
    {
        if (ClassWeights is null && Scaling is null)
            return rows;
        var targets = rows.Targets;
        if (Scaling is not null)
            targets = Array.ConvertAll(rows.Targets, Target);
        var weights = rows.Weights;
        if (ClassWeights is not null)
        {
            weights = new float[rows.RowCount];
            for (var r = 0; r < weights.Length; r++)
                weights[r] = Weight(rows.Targets[r], rows.Weights?[r] ?? 1f);
        }
        return rows.WithTargets(targets, weights);
    }
}
