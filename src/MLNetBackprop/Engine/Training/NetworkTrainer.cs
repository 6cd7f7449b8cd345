using System.Diagnostics;
using System.Globalization;
using MLNetBackprop.Engine.Checkpoints;
using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Optimizers;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// The training loop. It is assembled from small pieces: an optimizer made by <see cref="CreateOptimizer"/>
/// (or L-BFGS), a <see cref="LearningRateSchedule"/>, an <see cref="ImprovementTracker"/> for early stopping, and the
/// <see cref="CheckpointStore"/>.
/// </summary>
public static partial class NetworkTrainer
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
            $"Training diverged at epoch {epoch} ({what} became {(double.IsNaN(value) ? "NaN" : "Infinity")}). ") + DivergenceAdvice(learningRate);

    /// <summary>What to do about a diverged run, the end of every divergence message.</summary>
    internal static string DivergenceAdvice(float learningRate)
        => string.Create(CultureInfo.InvariantCulture,
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
    private sealed partial class TrainingLoop
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
                    GradientClipping.ClipByGlobalNorm(_workspace.Gradient, _s.GradientClipNorm);
                if (decay != 1f)
                    WeightDecay.ScaleWeights(_layout, _parameters, decay);
                _optimizer!.Step(_parameters, _workspace.Gradient);
                lossSum += loss * rows;
                rowsCounted += rows;
            }
            return lossSum / rowsCounted;
        }

        // A finite loss can still come with an overflowing gradient; never hand back a non-finite model.
        private void CheckParameters(int epoch, float rate)
        {
            foreach (var p in _parameters)
                if (!float.IsFinite(p))
                    throw new TrainingDivergedException(DivergedMessage(epoch, "the parameters", p, rate));
        }

    }
}
