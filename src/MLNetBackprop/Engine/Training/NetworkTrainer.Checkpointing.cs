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
            writer.Write(_history.Count);
            foreach (var h in _history)
            {
                writer.Write(h.Epoch);
                writer.Write(h.TrainingLoss);
                writer.Write(h.Elapsed.Ticks);
                writer.Write(h.ValidationLoss ?? double.NaN);
                writer.Write(h.ValidationAccuracy ?? double.NaN);
                writer.Write(h.LearningRate);
                writer.Write(h.SamplesPerSecond);
            }
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
            var count = reader.ReadInt32();
            if (count < 1 || count >= _s.MaxEpochs)
                throw new InvalidDataException($"it records {count} epochs");
            _history.Clear();
            for (var i = 0; i < count; i++)
            {
                var epoch = reader.ReadInt32();
                var loss = reader.ReadDouble();
                var elapsed = TimeSpan.FromTicks(reader.ReadInt64());
                var validationLoss = reader.ReadDouble();
                var accuracy = reader.ReadDouble();
                _history.Add(new EpochReport(epoch, loss, elapsed)
                {
                    ValidationLoss = double.IsNaN(validationLoss) ? null : validationLoss,
                    ValidationAccuracy = double.IsNaN(accuracy) ? null : accuracy,
                    LearningRate = reader.ReadSingle(),
                    SamplesPerSecond = reader.ReadDouble(),
                });
            }
        }
    }
}
