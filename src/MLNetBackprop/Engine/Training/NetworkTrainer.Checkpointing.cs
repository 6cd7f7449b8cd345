using System.Globalization;
using MLNetBackprop.Engine.Checkpoints;
using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Optimizers;

namespace MLNetBackprop.Engine.Training;

internal static partial class NetworkTrainer
{
    // What a checkpoint holds: the run's identity (to refuse another run's file) and the full training state.
    private sealed partial class TrainingLoop
    {
        // Everything that must match for a checkpoint to be resumed: every setting, the data and the warm start.
        private string DescribeRun()
        {
            static string Format(object? value) => value switch
            {
                float f => f.ToString("R", CultureInfo.InvariantCulture),
                Array a => "[" + string.Join(",", a.Cast<object>().Select(Format)) + "]",
                _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
            };
            var items = typeof(TrainingSettings).GetProperties()
                .OrderBy(p => p.Name, StringComparer.Ordinal)
                .Select(p => $"{p.Name}={Format(p.GetValue(_s))}")
                .ToList();
            items.Add($"rows={_data.RowCount}x{_data.FeatureCount}");
            items.Add($"data={CheckpointStore.HashData(_data):x16}");
            items.Add($"validation={CheckpointStore.HashData(_validation):x16}");
            items.Add($"warm start={(_run.InitialParameters is { } p ? CheckpointStore.HashData(new TrainingSet(p, new float[p.Length], null, 1)).ToString("x16") : "none")}");
            return string.Join("; ", items);
        }

        private void SaveState(BinaryWriter writer)
        {
            Span<ulong> state = stackalloc ulong[SeededRandom.StateLength];
            _random.SaveState(state);
            foreach (var word in state)
                writer.Write(word);
            foreach (var index in _order)
                writer.Write(index);
            OptimizerState.Write(writer, _parameters);
            if (_lbfgs is not null)
                _lbfgs.SaveState(writer);
            else
                _optimizer!.SaveState(writer);
            _schedule.SaveState(writer);
            _tracker.SaveState(writer);
            if (_best is not null)
                OptimizerState.Write(writer, _best);
            EpochHistoryFormat.Write(writer, _history, _s.MaxEpochs);
        }

        private void LoadState(BinaryReader reader)
        {
            Span<ulong> state = stackalloc ulong[SeededRandom.StateLength];
            for (var i = 0; i < state.Length; i++)
                state[i] = reader.ReadUInt64();
            _random = SeededRandom.FromState(state);
            for (var i = 0; i < _order.Length; i++)
            {
                var index = reader.ReadInt32();
                if ((uint)index >= (uint)_order.Length)
                    throw new InvalidDataException($"row index {index} is out of range");
                _order[i] = index;
            }
            OptimizerState.Read(reader, _parameters);
            if (_lbfgs is not null)
                _lbfgs.LoadState(reader);
            else
                _optimizer!.LoadState(reader);
            _schedule.LoadState(reader);
            _tracker.LoadState(reader);
            if (_best is not null)
                OptimizerState.Read(reader, _best);
            var history = EpochHistoryFormat.Read(reader, out _);
            if (history.Count < 1 || history.Count >= _s.MaxEpochs)
                throw new InvalidDataException($"it records {history.Count} epochs");
            _history.Clear();
            _history.AddRange(history);
        }
    }
}
