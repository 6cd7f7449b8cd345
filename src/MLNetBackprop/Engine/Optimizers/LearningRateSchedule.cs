using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Engine.Optimizers;

/// <summary>
/// The learning rate of each epoch. Epochs e ≤ W (the warm-up) use η·e/(W + 1); later epochs are schedule epoch
/// s = e − W of the chosen kind, with T = MaxEpochs − W schedule epochs in all:
/// <list type="bullet">
/// <item>constant: η;</item>
/// <item>inverse scaling: η/sᵖ;</item>
/// <item>step decay: η·γ^⌊(s − 1)/k⌋;</item>
/// <item>cosine: η_min + ½(η − η_min)(1 + cos(π(s − 1)/T)), so the first epoch uses η and the last is just above η_min;</item>
/// <item>reduce on plateau: starts at η and is multiplied by γ (not below η_min) each time the monitored value has not
/// improved by the tolerance for the plateau patience in a row (the count then restarts).</item>
/// </list>
/// Rates are computed in double and rounded once to float.
/// </summary>
internal sealed class LearningRateSchedule
{
    private readonly TrainingSettings _s;
    private readonly ImprovementTracker? _plateau;
    private double _plateauRate;

    /// <summary>Creates the schedule; <paramref name="higherIsBetter"/> is the direction of the monitored value.</summary>
    public LearningRateSchedule(TrainingSettings settings, bool higherIsBetter)
    {
        _s = settings;
        _plateauRate = settings.LearningRate;
        if (settings.Schedule == LearningRateScheduleKind.ReduceOnPlateau)
            _plateau = new ImprovementTracker(settings.Tolerance, higherIsBetter);
    }

    /// <summary>The rate of 1-based epoch <paramref name="epoch"/>.</summary>
    public float RateFor(int epoch)
    {
        double eta = _s.LearningRate, min = _s.MinimumLearningRate;
        var warmup = _s.WarmupEpochs;
        if (epoch <= warmup)
            return (float)(eta * epoch / (warmup + 1));
        var s = epoch - warmup;
        var total = Math.Max(1, _s.MaxEpochs - warmup);
        return (float)(_s.Schedule switch
        {
            LearningRateScheduleKind.InverseScaling => eta / Math.Pow(s, _s.InverseScalingPower),
            LearningRateScheduleKind.StepDecay => eta * Math.Pow(_s.DecayFactor, (s - 1) / _s.DecayStepEpochs),
            LearningRateScheduleKind.Cosine => min + 0.5 * (eta - min) * (1 + Math.Cos(Math.PI * (s - 1) / total)),
            LearningRateScheduleKind.ReduceOnPlateau => _plateauRate,
            _ => eta,
        });
    }

    /// <summary>Feeds the epoch's monitored value to reduce-on-plateau (ignored by the other kinds and during warm-up).</summary>
    public void EndEpoch(int epoch, double monitored)
    {
        if (_plateau is null || epoch <= _s.WarmupEpochs)
            return;
        _plateau.Observe(epoch, monitored);
        if (_plateau.Stale >= _s.PlateauPatience)
        {
            _plateauRate = Math.Max(_s.MinimumLearningRate, _plateauRate * _s.DecayFactor);
            _plateau.Stale = 0;
        }
    }

    /// <summary>Writes the plateau state for a checkpoint.</summary>
    public void SaveState(BinaryWriter writer)
    {
        writer.Write(_plateauRate);
        (_plateau ?? new ImprovementTracker(0, false)).SaveState(writer);
    }

    /// <summary>Restores what <see cref="SaveState"/> wrote.</summary>
    public void LoadState(BinaryReader reader)
    {
        _plateauRate = reader.ReadDouble();
        (_plateau ?? new ImprovementTracker(0, false)).LoadState(reader);
    }
}
