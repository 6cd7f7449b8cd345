using System.Diagnostics;
using MLNetBackprop.Engine.Checkpoints;
using MLNetBackprop.Engine.Collective;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.Randomness;
using MLNetBackprop.Engine.RowSources;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// One call to <see cref="NetworkTrainer.Train(IRowSource, TrainingSettings, TrainingRunOptions)"/>: the epoch loop
/// over a <see cref="MiniBatchEpoch"/> or an L-BFGS iteration, the validation and stopping decision after each epoch,
/// and the <see cref="TrainingCheckpoint"/> it resumes from and saves to.
/// </summary>
internal sealed class TrainingLoop
{
    private readonly IRowSource _data;
    private readonly TrainingSettings _s;
    private readonly TrainingRunOptions _run;
    private readonly NetworkLayout _layout;
    private readonly TrainingState _state;
    private readonly WholeSetPass _wholeSet;
    private readonly MiniBatchEpoch? _miniBatches;
    private readonly ShardedBatchEpoch? _shardedBatches;
    private readonly ShardPlan _plan;
    private readonly ShardedValidation? _shardedValidation;
    private readonly BatchWorkspace _workspace;
    private readonly TrainingCheckpoint? _checkpoint;
    private readonly InputScaling? _scaling;
    private readonly PiecewiseLinearEncoding? _encoding;
    private readonly bool _keepCheckpoint;

    /// <summary>
    /// Sets up a run that starts from <paramref name="parameters"/>, draws from <paramref name="random"/>, encodes every
    /// row by <paramref name="encoding"/> and scales it by <paramref name="scaling"/> (each when not null), which the
    /// trained network keeps.
    /// </summary>
    public TrainingLoop(IRowSource data, TrainingSettings settings, TrainingRunOptions run, NetworkLayout layout,
        float[] parameters, SeededRandom random, InputScaling? scaling = null, PiecewiseLinearEncoding? encoding = null,
        bool keepCheckpoint = false)
    {
        _keepCheckpoint = keepCheckpoint;
        _scaling = scaling;
        _encoding = encoding;
        _data = data;
        _s = settings;
        _run = run;
        _layout = layout;
        var dropout = ExpandDropout(settings);
        var lbfgs = settings.Optimizer == OptimizerKind.Lbfgs;
        // L-BFGS passes over the whole set, so it takes larger chunks than a mini-batch.
        var capacity = (int)Math.Min(lbfgs ? Math.Max(settings.BatchSize, 1024) : settings.BatchSize, data.RowCount);
        _plan = new ShardPlan(run.Collective, settings.GradientShards, settings.SumShardsInOrder);
        // A sharded run updates every parameter: a lazy region would need the features of every rank's rows.
        var workspace = new BatchWorkspace(layout, capacity, dropout,
            compactFirstLayerGradient: data.IsSparse && !lbfgs && settings.SparseUpdate == SparseUpdate.Lazy && !_plan.IsSharded)
        {
            Scaling = scaling,
            Encoding = encoding,
        };
        _workspace = workspace;
        _wholeSet = new WholeSetPass(data, settings, layout, workspace);
        _shardedValidation = SplitValidation();
        var sharded = _plan.IsSharded ? ShardedRows.Of(data) : null;
        if (!lbfgs && sharded is not null)
            _shardedBatches = new ShardedBatchEpoch(sharded, data.HasWeights, settings, layout, workspace, _plan, dropout is not null, run.Cancellation);
        else if (!lbfgs)
            _miniBatches = new MiniBatchEpoch(data, settings, layout, workspace, dropout is not null, run.Cancellation);
        var objective = LbfgsObjective(sharded, workspace);
        var higherIsBetter = run.Validation is not null && settings.StoppingMetric == StoppingMetric.Accuracy;
        _state = new TrainingState(parameters, random, data.OrderLength,
            lbfgs ? null : MiniBatchOptimizer.Create(settings, layout.ParameterCount),
            lbfgs ? new LbfgsOptimizer(layout.ParameterCount, settings.LbfgsHistorySize, objective) : null,
            new LearningRateSchedule(settings, higherIsBetter), new ImprovementTracker(settings.Tolerance, higherIsBetter),
            keepBest: run.Validation is not null);
        _checkpoint = TrainingCheckpoint.For(data, settings, run, writes: _plan.IsRoot);
        CheckRanksAgree();
    }

    // Validation rows in memory are split among the ranks like the training rows, and a rank's share is its own; a
    // whole streamed set is evaluated whole on every rank, which gives every rank the same figures too.
    private ShardedValidation? SplitValidation() => _plan.IsSharded && _run.Validation is InMemoryRowSource or RankRows
        ? new ShardedValidation(ShardedRows.Of(_run.Validation), _run.Validation.HasWeights, _wholeSet, _plan)
        : null;

    // L-BFGS's objective. Sharded, it always sums in shard order: its line search must take the same branches on every
    // rank, and a pass over the data dwarfs the padded allreduce.
    private LbfgsOptimizer.Objective LbfgsObjective(ShardedRows? sharded, BatchWorkspace workspace) => sharded is not null
        ? new ShardedObjective(sharded, _data.HasWeights, _wholeSet, workspace,
            new ShardPlan(_run.Collective, _s.GradientShards, inShardOrder: true), _layout.ParameterCount).LossAndGradient
        : _wholeSet.LossAndGradient;

    // The ranks of a job must describe the same run; whether a rank checkpoints decides whether it takes part in the
    // resume check, so they must agree on that too.
    private void CheckRanksAgree()
    {
        if (_run.Collective is { Size: > 1 } collective)
            RunAgreement.CheckSameRun(collective, $"{RunDescription.Of(_data, _s, _run)}; checkpoints={(_run.CheckpointPath is null ? "none" : "kept")}");
    }

    /// <summary>Trains epoch by epoch until a stopping rule, the epoch limit or cancellation ends the run.</summary>
    public TrainingResult Run()
    {
        var (first, elapsedBefore) = Resume();
        var clock = Stopwatch.StartNew();
        for (var epoch = first; epoch <= _s.MaxEpochs; epoch++)
        {
            var rate = _state.Schedule.RateFor(epoch);
            var epochStart = clock.Elapsed;
            if (RunEpoch(epoch, rate) is not (var loss, var converged))
                return Finish(StopReason.Cancelled);
            CheckParameters(epoch, rate);
            if (_run.Collective is { Size: > 1 } collective)
                RunAgreement.CheckSameParameters(collective, ParameterHash(), epoch);
            var seconds = (clock.Elapsed - epochStart).TotalSeconds;
            var report = Record(epoch, loss, rate, elapsedBefore + clock.Elapsed, seconds);
            var stop = StopAfter(epoch, converged);
            if (stop is null)
                _checkpoint?.SaveAfter(epoch, _state);
            if (_plan.IsRoot)
                _run.OnEpoch?.Invoke(report);
            if (stop is { } reason)
                return Finish(reason);
        }
        return Finish(StopReason.EpochLimit);
    }

    // The first epoch to run and the time already spent: after the checkpoint's epochs when there is one.
    private (int FirstEpoch, TimeSpan ElapsedBefore) Resume()
    {
        var resumed = _checkpoint is not null && _checkpoint.TryResume(_state);
        if (_run.Collective is { Size: > 1 } collective && _checkpoint is not null)
            RunAgreement.CheckSameResume(collective, resumed ? _state.History.Count : 0, _run.CheckpointPath!);
        if (!resumed)
            return (1, TimeSpan.Zero);
        var history = _state.History;
        return (history.Count + 1, history.Count > 0 ? history[^1].Elapsed : TimeSpan.Zero);
    }

    // The epoch's training loss and whether L-BFGS converged; null when cancelled.
    private (double Loss, bool Converged)? RunEpoch(int epoch, float rate)
    {
        if (_state.Lbfgs is { } lbfgs)
            return LbfgsEpoch(lbfgs, epoch, rate);
        var loss = _shardedBatches is not null ? _shardedBatches.Run(_state, epoch, rate) : _miniBatches!.Run(_state, epoch, rate);
        return loss is { } value ? (value, false) : null;
    }

    // One L-BFGS iteration over the whole set counts as an epoch.
    private (double Loss, bool Converged)? LbfgsEpoch(LbfgsOptimizer lbfgs, int epoch, float rate)
    {
        var cancelled = _run.Cancellation.IsCancellationRequested;
        if (_run.Collective is { Size: > 1 } collective ? RunAgreement.Any(collective, cancelled) : cancelled)
            return null;
        var (loss, converged) = lbfgs.Iterate(_state.Parameters);
        if (!double.IsFinite(loss))
            throw Divergence.At(epoch, "the loss", loss, rate);
        return (loss, converged);
    }

    private ulong ParameterHash()
    {
        var hash = new DataFingerprint();
        hash.Add(_state.Parameters);
        return hash.Value;
    }

    // A finite loss can still come with an overflowing gradient; never hand back a non-finite model.
    private void CheckParameters(int epoch, float rate)
    {
        foreach (var p in _state.Parameters)
            if (!float.IsFinite(p))
                throw Divergence.At(epoch, "the parameters", p, rate);
    }

    // Validates, feeds the monitored value to early stopping and the schedule, and keeps the epoch's report.
    private EpochReport Record(int epoch, double loss, float rate, TimeSpan elapsed, double seconds)
    {
        var report = new EpochReport(epoch, loss, elapsed)
        {
            LearningRate = rate,
            SamplesPerSecond = seconds > 0 ? _data.RowCount / seconds : double.PositiveInfinity,
        };
        var monitored = loss;
        if (_run.Validation is { } validation)
        {
            var (validationLoss, accuracy) = _shardedValidation is not null
                ? _shardedValidation.Evaluate(_state.Parameters, _workspace)
                : _wholeSet.Evaluate(validation, _state.Parameters);
            report = report with { ValidationLoss = validationLoss, ValidationAccuracy = accuracy };
            monitored = _s.StoppingMetric == StoppingMetric.Accuracy ? accuracy ?? double.NaN : validationLoss;
        }
        if (_state.Tracker.Observe(epoch, monitored) && _state.Best is not null)
            _state.Parameters.CopyTo(_state.Best, 0);
        _state.Schedule.EndEpoch(epoch, monitored);
        _state.History.Add(report);
        return report;
    }

    // Why the run stops after `epoch`, or null to go on. Running out of epochs is the loop's own end.
    private StopReason? StopAfter(int epoch, bool converged)
    {
        if (converged)
            return StopReason.Converged;
        var stale = _s.Tolerance > 0 && _state.Tracker.Stale >= _s.EpochsWithoutImprovement && epoch < _s.MaxEpochs;
        return stale ? StopReason.NoImprovement : null;
    }

    // The result: the best epoch's parameters when a validation set picked one, else the last, handed over without a
    // copy (the run ends here, and a wide model's copy would be the peak of its memory). A cancelled run keeps its
    // checkpoint to resume from.
    private TrainingResult Finish(StopReason reason)
    {
        if (reason != StopReason.Cancelled && !_keepCheckpoint)
            _checkpoint?.Delete();
        var best = _state.Best is not null && _state.Tracker.BestEpoch > 0 ? _state.Best : null;
        var parameters = best ?? _state.Parameters;
        var bestEpoch = best is not null ? _state.Tracker.BestEpoch : _state.History.Count;
        return new TrainingResult(new Network(_layout, parameters, _scaling, _encoding), _state.History, reason == StopReason.NoImprovement)
        {
            StopReason = reason,
            BestEpoch = bestEpoch,
        };
    }

    // Dropout rate of each hidden layer, expanded from the settings (null when there is no dropout).
    private static float[]? ExpandDropout(TrainingSettings s)
    {
        var rates = s.DropoutRates;
        if (rates is null || rates.Length == 0 || s.HiddenLayerSizes.Length == 0 || rates.All(r => r == 0))
            return null;
        return rates.Length == 1 ? Enumerable.Repeat(rates[0], s.HiddenLayerSizes.Length).ToArray() : (float[])rates.Clone();
    }
}
