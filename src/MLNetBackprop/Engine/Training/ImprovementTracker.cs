namespace MLNetBackprop.Engine.Training;

/// <summary>
/// Follows a monitored value epoch by epoch, as scikit-learn's stopping rule does: an epoch counts as an
/// improvement only if it beats the best value so far by at least the tolerance (otherwise <see cref="Stale"/>
/// grows), while the best value and <see cref="BestEpoch"/> follow any strict improvement.
/// </summary>
internal sealed class ImprovementTracker(float tolerance, bool higherIsBetter)
{
    /// <summary>The best value seen (±∞ before the first epoch).</summary>
    public double Best { get; private set; } = higherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;
    /// <summary>The epoch that reached <see cref="Best"/>; 0 before the first.</summary>
    public int BestEpoch { get; private set; }
    /// <summary>Consecutive epochs that did not improve on the best by the tolerance.</summary>
    public int Stale { get; set; }

    /// <summary>Records <paramref name="value"/> for <paramref name="epoch"/>; true when it is a new best.</summary>
    public bool Observe(int epoch, double value)
    {
        var improvedByTolerance = higherIsBetter ? value >= Best + tolerance : value <= Best - tolerance;
        // The first epoch always improves on "nothing yet", also with an infinite tolerance.
        Stale = improvedByTolerance || BestEpoch == 0 ? 0 : Stale + 1;
        var isBest = BestEpoch == 0 || (higherIsBetter ? value > Best : value < Best);
        if (isBest)
        {
            Best = value;
            BestEpoch = epoch;
        }
        return isBest;
    }

    /// <summary>Writes the state for a checkpoint.</summary>
    public void SaveState(BinaryWriter writer)
    {
        writer.Write(Best);
        writer.Write(BestEpoch);
        writer.Write(Stale);
    }

    /// <summary>Restores what <see cref="SaveState"/> wrote.</summary>
    public void LoadState(BinaryReader reader)
    {
        Best = reader.ReadDouble();
        BestEpoch = reader.ReadInt32();
        Stale = reader.ReadInt32();
    }
}
