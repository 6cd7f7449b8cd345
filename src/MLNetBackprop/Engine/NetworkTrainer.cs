using System.Diagnostics;
using System.Globalization;

namespace MLNetBackprop.Engine;

/// <summary>
/// The training loop. It is assembled from small pieces: an optimizer made by <see cref="CreateOptimizer"/>
/// (or L-BFGS), a <see cref="LearningRateSchedule"/>, an <see cref="ImprovementTracker"/> for early stopping, and the
/// <see cref="CheckpointStore"/>.
/// </summary>
public static class NetworkTrainer
{
    /// <summary>
    /// Trains a network on <paramref name="data"/>. Deterministic: the same data and settings give the same
    /// parameters bit for bit.
    /// </summary>
    /// <exception cref="ArgumentException">A setting or the data is invalid; the parameter name is the setting's.</exception>
    /// <exception cref="TrainingDivergedException">The loss or the parameters became non-finite.</exception>
    public static TrainingResult Train(TrainingSet data, TrainingSettings settings, Action<EpochReport>? onEpoch = null)
        => Train(data, settings, new TrainingRunOptions { OnEpoch = onEpoch });

    /// <summary>
    /// Trains a network on <paramref name="data"/> with a validation set, warm start, progress, cancellation or
    /// checkpoints as <paramref name="run"/> asks. Deterministic: the same data, settings and run options give the
    /// same parameters bit for bit, whether or not training was interrupted and resumed from a checkpoint.
    /// </summary>
    /// <remarks>
    /// One <see cref="SeededRandom"/> seeded with <see cref="TrainingSettings.Seed"/> draws the initial weights (unless
    /// <see cref="TrainingRunOptions.InitialParameters"/> are given) and then, each epoch, reshuffles the row order and
    /// draws the dropout masks. Batches take consecutive rows of that order; the last may be shorter. A batch whose
    /// example weights sum to zero is skipped: no update, and its rows do not count in the epoch loss, which is the
    /// mean of the batch losses weighted by their row counts. Each update: gradient (with the L2 penalty), clipping
    /// to the global norm, decoupled weight decay, then the optimizer step at the epoch's scheduled rate.
    /// </remarks>
    /// <exception cref="ArgumentException">A setting, run option or the data is invalid; the parameter name is the setting's.</exception>
    /// <exception cref="TrainingDivergedException">The loss or the parameters became non-finite.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint file belongs to another run or is damaged.</exception>
    public static TrainingResult Train(TrainingSet data, TrainingSettings settings, TrainingRunOptions run)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(run);
        SettingsValidator.Validate(data, settings, run);
        var layout = new NetworkLayout(data.FeatureCount, settings.HiddenLayerSizes, settings.OutputCount, settings.HiddenActivation);
        var random = new SeededRandom(settings.Seed);
        var parameters = new float[layout.ParameterCount];
        if (run.InitialParameters is { } initial)
            initial.CopyTo(parameters, 0);
        else
            ParameterInitializer.Initialize(layout, parameters, random);
        return new TrainingLoop(data, settings, run, layout, parameters, random).Execute();
    }

    /// <summary>The message of the <see cref="TrainingDivergedException"/> thrown at <paramref name="epoch"/>.</summary>
    internal static string DivergedMessage(int epoch, string what, double value, float learningRate)
        => string.Create(CultureInfo.InvariantCulture,
            $"Training diverged at epoch {epoch} ({what} became {(double.IsNaN(value) ? "NaN" : "Infinity")}). " +
            $"Normalize the features (e.g. NormalizeMinMax) or lower the learning rate (currently {learningRate}).");

    /// <summary>The mini-batch update rule the settings name (not L-BFGS, which drives its own iterations).</summary>
    internal static IOptimizer CreateOptimizer(TrainingSettings s, int count) => s.Optimizer switch
    {
        OptimizerKind.Sgd => new SgdOptimizer(count, s.LearningRate, s.Momentum, s.Nesterov),
        OptimizerKind.RmsProp => new RmsPropOptimizer(count, s.LearningRate, s.RmsPropDecay, s.Epsilon),
        OptimizerKind.Adam => new AdamOptimizer(count, s.LearningRate, s.Beta1, s.Beta2, s.Epsilon),
        _ => throw new ArgumentOutOfRangeException(nameof(s), s.Optimizer, "Not a mini-batch optimizer."),
    };

    /// <summary>Dropout rate of each hidden layer, expanded from the settings (null when there is no dropout).</summary>
    internal static float[]? ExpandDropout(TrainingSettings s)
    {
        var rates = s.DropoutRates;
        if (rates is null || rates.Length == 0 || s.HiddenLayerSizes.Length == 0 || rates.All(r => r == 0))
            return null;
        return rates.Length == 1 ? Enumerable.Repeat(rates[0], s.HiddenLayerSizes.Length).ToArray() : (float[])rates.Clone();
    }

    // The state of one call to Train: buffers, pieces and the epoch loop.
    private sealed class TrainingLoop
    {
        private readonly TrainingSet _data;
        private readonly TrainingSet? _validation;
        private readonly TrainingSettings _s;
        private readonly TrainingRunOptions _run;
        private readonly NetworkLayout _layout;
        private readonly float[] _parameters;
        private SeededRandom _random;
        private readonly BatchWorkspace _workspace;
        private readonly IOptimizer? _optimizer;
        private readonly LbfgsOptimizer? _lbfgs;
        private readonly float[]? _fullGradient;
        private readonly LearningRateSchedule _schedule;
        private readonly ImprovementTracker _tracker;
        private readonly float[]? _best;
        private readonly int[] _order;
        private readonly int[] _sequential;
        private readonly bool _dropout;
        private readonly List<EpochReport> _history = [];
        private readonly string? _description;

        public TrainingLoop(TrainingSet data, TrainingSettings settings, TrainingRunOptions run, NetworkLayout layout,
            float[] parameters, SeededRandom random)
        {
            _data = data;
            _validation = run.Validation;
            _s = settings;
            _run = run;
            _layout = layout;
            _parameters = parameters;
            _random = random;
            var dropout = ExpandDropout(settings);
            _dropout = dropout is not null;
            var capacity = settings.Optimizer == OptimizerKind.Lbfgs
                ? Math.Min(Math.Max(settings.BatchSize, 1024), data.RowCount)
                : Math.Min(settings.BatchSize, data.RowCount);
            _workspace = new BatchWorkspace(layout, capacity, dropout);
            if (settings.Optimizer == OptimizerKind.Lbfgs)
            {
                _fullGradient = new float[layout.ParameterCount];
                _lbfgs = new LbfgsOptimizer(layout.ParameterCount, settings.LbfgsHistorySize, FullBatchLossAndGradient);
            }
            else
            {
                _optimizer = CreateOptimizer(settings, layout.ParameterCount);
            }
            var higherIsBetter = _validation is not null && settings.StoppingMetric == StoppingMetric.Accuracy;
            _schedule = new LearningRateSchedule(settings, higherIsBetter);
            _tracker = new ImprovementTracker(settings.Tolerance, higherIsBetter);
            _best = _validation is null ? null : new float[layout.ParameterCount];
            _order = Enumerable.Range(0, data.RowCount).ToArray();
            _sequential = Enumerable.Range(0, capacity).ToArray();
            if (run.CheckpointPath is not null)
                _description = DescribeRun();
        }

        public TrainingResult Execute()
        {
            var first = 1;
            var elapsedBefore = TimeSpan.Zero;
            if (_run.CheckpointPath is { } path && CheckpointStore.TryRead(path, _description!, LoadState))
            {
                first = _history.Count + 1;
                elapsedBefore = _history.Count > 0 ? _history[^1].Elapsed : TimeSpan.Zero;
            }
            var clock = Stopwatch.StartNew();
            for (var epoch = first; epoch <= _s.MaxEpochs; epoch++)
            {
                var rate = _schedule.RateFor(epoch);
                var epochStart = clock.Elapsed;
                double loss;
                var converged = false;
                if (_lbfgs is not null)
                {
                    if (_run.Cancellation.IsCancellationRequested)
                        return Finish(StopReason.Cancelled);
                    (loss, converged) = _lbfgs.Iterate(_parameters);
                    if (!double.IsFinite(loss))
                        throw new TrainingDivergedException(DivergedMessage(epoch, "the loss", loss, rate));
                }
                else
                {
                    _optimizer!.LearningRate = rate;
                    var epochLoss = RunEpoch(epoch, rate);
                    if (epochLoss is not { } completed)
                        return Finish(StopReason.Cancelled);
                    loss = completed;
                }
                CheckParameters(epoch, rate);
                var seconds = (clock.Elapsed - epochStart).TotalSeconds;
                var report = new EpochReport(epoch, loss, elapsedBefore + clock.Elapsed)
                {
                    LearningRate = rate,
                    SamplesPerSecond = seconds > 0 ? _data.RowCount / seconds : double.PositiveInfinity,
                };
                var monitored = loss;
                if (_validation is not null)
                {
                    var (validationLoss, accuracy) = Evaluate(_validation);
                    report = report with { ValidationLoss = validationLoss, ValidationAccuracy = accuracy };
                    monitored = _s.StoppingMetric == StoppingMetric.Accuracy ? accuracy ?? double.NaN : validationLoss;
                }
                if (_tracker.Observe(epoch, monitored) && _best is not null)
                    _parameters.CopyTo(_best, 0);
                _schedule.EndEpoch(epoch, monitored);
                _history.Add(report);

                var stop = converged
                    ? StopReason.Converged
                    : _s.Tolerance > 0 && _tracker.Stale >= _s.EpochsWithoutImprovement && epoch < _s.MaxEpochs
                        ? StopReason.NoImprovement
                        : (StopReason?)null;
                if (stop is null && _run.CheckpointPath is { } checkpoint && epoch < _s.MaxEpochs && epoch % _run.CheckpointInterval == 0)
                    CheckpointStore.Write(checkpoint, _description!, SaveState);
                _run.OnEpoch?.Invoke(report);
                if (stop is { } reason)
                    return Finish(reason);
            }
            return Finish(StopReason.EpochLimit);
        }

        private TrainingResult Finish(StopReason reason)
        {
            if (reason != StopReason.Cancelled && _run.CheckpointPath is { } path)
                CheckpointStore.Delete(path);
            var useBest = _best is not null && _tracker.BestEpoch > 0;
            var parameters = useBest ? (float[])_best!.Clone() : (float[])_parameters.Clone();
            var bestEpoch = useBest ? _tracker.BestEpoch : _history.Count;
            return new TrainingResult(new Network(_layout, parameters), _history, reason == StopReason.NoImprovement)
            {
                StopReason = reason,
                BestEpoch = bestEpoch,
            };
        }

        // One pass of mini-batches; null when cancelled part-way.
        private double? RunEpoch(int epoch, float rate)
        {
            if (_s.Shuffle)
                _random.Shuffle(_order);
            var weighted = _data.Weights is not null;
            var decay = _s.WeightDecay > 0 ? 1f - rate * _s.WeightDecay : 1f;
            var dropout = _dropout ? _random : null;
            double lossSum = 0;
            long rowsCounted = 0;
            for (var start = 0; start < _order.Length; start += _workspace.Capacity)
            {
                if (_run.Cancellation.IsCancellationRequested)
                    return null;
                var rows = Math.Min(_workspace.Capacity, _order.Length - start);
                var weightSum = _workspace.Gather(_data, _order.AsSpan(start, rows));
                if (!(weightSum > 0))
                    continue;
                var loss = Backpropagation.LossAndGradient(_parameters, _workspace, rows, _s.Loss, _s.HuberDelta, _s.L2, weighted, dropout);
                if (!double.IsFinite(loss))
                    throw new TrainingDivergedException(DivergedMessage(epoch, "the loss", loss, rate));
                if (_s.GradientClipNorm > 0)
                    GradientOps.ClipByGlobalNorm(_workspace.Gradient, _s.GradientClipNorm);
                if (decay != 1f)
                    GradientOps.ScaleWeights(_layout, _parameters, decay);
                _optimizer!.Step(_parameters, _workspace.Gradient);
                lossSum += loss * rows;
                rowsCounted += rows;
            }
            return lossSum / rowsCounted;
        }

        // The mean loss over all rows (weighted) plus the L2 penalty over all rows, and its gradient: L-BFGS's objective.
        private double FullBatchLossAndGradient(float[] parameters, float[] gradient)
        {
            Array.Clear(gradient);
            var weighted = _data.Weights is not null;
            double total = 0, totalWeight = 0;
            for (var start = 0; start < _data.RowCount; start += _workspace.Capacity)
            {
                var rows = Math.Min(_workspace.Capacity, _data.RowCount - start);
                for (var i = 0; i < rows; i++)
                    _sequential[i] = start + i;
                var weightSum = _workspace.Gather(_data, _sequential.AsSpan(0, rows));
                if (!(weightSum > 0))
                    continue;
                var loss = Backpropagation.LossAndGradient(parameters, _workspace, rows, _s.Loss, _s.HuberDelta, 0f, weighted);
                total += weightSum * loss;
                totalWeight += weightSum;
                var scale = (float)weightSum;
                var g = _workspace.Gradient;
                for (var i = 0; i < gradient.Length; i++)
                    gradient[i] += scale * g[i];
            }
            var inverse = (float)(1 / totalWeight);
            for (var i = 0; i < gradient.Length; i++)
                gradient[i] *= inverse;
            var value = total / totalWeight;
            if (_s.L2 != 0)
                value += Backpropagation.ApplyL2(_layout, parameters, gradient, _s.L2, _data.RowCount);
            return value;
        }

        // Weighted mean data loss (no penalty) and, for classification, weighted accuracy; dropout inactive.
        private (double Loss, double? Accuracy) Evaluate(TrainingSet set)
        {
            var weighted = set.Weights is not null;
            var outputs = _layout.OutputCount;
            double lossSum = 0, weightTotal = 0, correct = 0;
            for (var start = 0; start < set.RowCount; start += _workspace.Capacity)
            {
                var rows = Math.Min(_workspace.Capacity, set.RowCount - start);
                for (var i = 0; i < rows; i++)
                    _sequential[i] = start + i;
                var weightSum = _workspace.Gather(set, _sequential.AsSpan(0, rows));
                if (!(weightSum > 0))
                    continue;
                Backpropagation.Forward(_parameters, _workspace, rows);
                var output = _workspace.Outputs(rows);
                var loss = Losses.Evaluate(_s.Loss, _s.HuberDelta, output, _workspace.Targets.AsSpan(0, rows),
                    weighted ? _workspace.Weights.AsSpan(0, rows) : default, outputs, _workspace.DeltaA);
                lossSum += loss * weightSum;
                weightTotal += weightSum;
                for (var r = 0; r < rows; r++)
                    if (IsCorrect(output.Slice(r * outputs, outputs), _workspace.Targets[r]))
                        correct += _workspace.Weights[r];
            }
            if (!(weightTotal > 0))
                return (double.NaN, null);
            var accuracy = _s.Loss is LossKind.SoftmaxCrossEntropy or LossKind.Logistic ? correct / weightTotal : (double?)null;
            return (lossSum / weightTotal, accuracy);
        }

        private bool IsCorrect(ReadOnlySpan<float> output, float target)
        {
            if (_s.Loss == LossKind.Logistic)
                return output[0] > 0 == target > 0.5f;
            var argMax = 0;
            for (var k = 1; k < output.Length; k++)
                if (output[k] > output[argMax])
                    argMax = k;
            return argMax == (int)target;
        }

        // A finite loss can still come with an overflowing gradient; never hand back a non-finite model.
        private void CheckParameters(int epoch, float rate)
        {
            foreach (var p in _parameters)
                if (!float.IsFinite(p))
                    throw new TrainingDivergedException(DivergedMessage(epoch, "the parameters", p, rate));
        }

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
