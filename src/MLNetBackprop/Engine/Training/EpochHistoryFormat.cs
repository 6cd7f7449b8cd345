namespace MLNetBackprop.Engine.Training;

/// <summary>
/// The one binary layout of an epoch history, shared by training checkpoints and model files: int count, int epoch
/// limit, then per epoch: int epoch, double training loss, double validation loss (NaN: none), double validation
/// accuracy (NaN: none), float learning rate, double rows per second, long elapsed ticks. It is the layout model files
/// of version 0x00010002 already store, so those files still load.
/// </summary>
internal static class EpochHistoryFormat
{
    /// <summary>Largest history a stream may declare.</summary>
    public const int MaxLength = 10_000_000;

    /// <summary>Writes <paramref name="history"/> of a run limited to <paramref name="epochLimit"/> epochs.</summary>
    public static void Write(BinaryWriter writer, IReadOnlyList<EpochReport> history, int epochLimit)
    {
        writer.Write(history.Count);
        writer.Write(epochLimit);
        foreach (var h in history)
        {
            writer.Write(h.Epoch);
            writer.Write(h.TrainingLoss);
            writer.Write(h.ValidationLoss ?? double.NaN);
            writer.Write(h.ValidationAccuracy ?? double.NaN);
            writer.Write(h.LearningRate);
            writer.Write(h.SamplesPerSecond);
            writer.Write(h.Elapsed.Ticks);
        }
    }

    /// <summary>Reads a history written by <see cref="Write"/>, and the epoch limit stored with it.</summary>
    /// <exception cref="InvalidDataException">The count, limit or a duration is not valid.</exception>
    public static List<EpochReport> Read(BinaryReader reader, out int epochLimit)
    {
        var count = reader.ReadInt32();
        epochLimit = reader.ReadInt32();
        if (count is < 0 or > MaxLength || epochLimit < count)
            throw new InvalidDataException($"The training history ({count} epochs, limit {epochLimit}) is not valid.");
        var history = new List<EpochReport>(Math.Min(count, 4096));
        for (var i = 0; i < count; i++)
        {
            var epoch = reader.ReadInt32();
            var loss = reader.ReadDouble();
            var validationLoss = reader.ReadDouble();
            var accuracy = reader.ReadDouble();
            var rate = reader.ReadSingle();
            var speed = reader.ReadDouble();
            var ticks = reader.ReadInt64();
            if (ticks < 0)
                throw new InvalidDataException($"Epoch {epoch} of the training history has a negative duration.");
            history.Add(new EpochReport(epoch, loss, TimeSpan.FromTicks(ticks))
            {
                ValidationLoss = double.IsNaN(validationLoss) ? null : validationLoss,
                ValidationAccuracy = double.IsNaN(accuracy) ? null : accuracy,
                LearningRate = rate,
                SamplesPerSecond = speed,
            });
        }
        return history;
    }
}
