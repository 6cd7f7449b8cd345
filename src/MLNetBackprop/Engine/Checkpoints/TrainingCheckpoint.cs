using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Randomness;
using MLNetBackprop.Engine.RowSources;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Engine.Checkpoints;

/// <summary>
/// The checkpoint of one training run: its identity (every setting, the data and the warm start, so that another
/// run's file is refused) and the full <see cref="TrainingState"/>, kept in a <see cref="CheckpointStore"/> file.
/// </summary>
internal sealed class TrainingCheckpoint
{
    private readonly string _path;
    private readonly int _interval;
    private readonly int _maxEpochs;
    private readonly string _description;
    private readonly bool _writes;

    private TrainingCheckpoint(string path, IRowSource data, TrainingSettings settings, TrainingRunOptions run, bool writes)
    {
        _path = path;
        _writes = writes;
        _interval = run.CheckpointInterval;
        _maxEpochs = settings.MaxEpochs;
        _description = RunDescription.Of(data, settings, run);
    }

    /// <summary>
    /// The run's checkpoint, or null when <paramref name="run"/> asks for none. Without <paramref name="writes"/> it is
    /// only read (the ranks of a job but rank 0).
    /// </summary>
    public static TrainingCheckpoint? For(IRowSource data, TrainingSettings settings, TrainingRunOptions run, bool writes = true)
        => run.CheckpointPath is { } path ? new TrainingCheckpoint(path, data, settings, run, writes) : null;

    /// <summary>Restores <paramref name="state"/> from the file if there is one; false if there is none.</summary>
    /// <exception cref="InvalidOperationException">The file belongs to another run, or is damaged.</exception>
    public bool TryResume(TrainingState state) => CheckpointStore.TryRead(_path, _description, reader => Read(reader, state));

    /// <summary>
    /// Saves <paramref name="state"/> after <paramref name="epoch"/> if the interval falls on it; never after the last
    /// epoch, where the run ends anyway.
    /// </summary>
    public void SaveAfter(int epoch, TrainingState state)
    {
        if (_writes && epoch < _maxEpochs && epoch % _interval == 0)
            CheckpointStore.Write(_path, _description, writer => Write(writer, state));
    }

    /// <summary>Deletes the file once the run has finished.</summary>
    public void Delete()
    {
        if (_writes)
            CheckpointStore.Delete(_path);
    }

    private void Write(BinaryWriter writer, TrainingState state)
    {
        Span<ulong> random = stackalloc ulong[SeededRandom.StateLength];
        state.Random.SaveState(random);
        foreach (var word in random)
            writer.Write(word);
        foreach (var index in state.Order)
            writer.Write(index);
        FloatVectorFormat.Write(writer, state.Parameters);
        if (state.Lbfgs is not null)
            state.Lbfgs.SaveState(writer);
        else
            state.Optimizer!.SaveState(writer);
        state.Schedule.SaveState(writer);
        state.Tracker.SaveState(writer);
        if (state.Best is not null)
            FloatVectorFormat.Write(writer, state.Best);
        EpochHistoryFormat.Write(writer, state.History, _maxEpochs);
    }

    private void Read(BinaryReader reader, TrainingState state)
    {
        Span<ulong> random = stackalloc ulong[SeededRandom.StateLength];
        for (var i = 0; i < random.Length; i++)
            random[i] = reader.ReadUInt64();
        state.Random = SeededRandom.FromState(random);
        var order = state.Order;
        for (var i = 0; i < order.Length; i++)
        {
            var index = reader.ReadInt32();
            if ((uint)index >= (uint)order.Length)
                throw new InvalidDataException($"row index {index} is out of range");
            order[i] = index;
        }
        FloatVectorFormat.Read(reader, state.Parameters);
        if (state.Lbfgs is not null)
            state.Lbfgs.LoadState(reader);
        else
            state.Optimizer!.LoadState(reader);
        state.Schedule.LoadState(reader);
        state.Tracker.LoadState(reader);
        if (state.Best is not null)
            FloatVectorFormat.Read(reader, state.Best);
        var history = EpochHistoryFormat.Read(reader, out _);
        if (history.Count < 1 || history.Count >= _maxEpochs)
            throw new InvalidDataException($"it records {history.Count} epochs");
        state.History.Clear();
        state.History.AddRange(history);
    }
}
