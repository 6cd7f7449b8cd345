using MLNetBackprop.Engine.Collective;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.RowSources;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// What a training run needs besides the data and the numeric settings: a validation set, starting parameters,
/// a progress callback, cancellation and checkpointing.
/// </summary>
internal sealed class TrainingRunOptions
{
    /// <summary>
    /// Rows to evaluate after every epoch. With a validation set, early stopping and reduce-on-plateau watch
    /// <see cref="TrainingSettings.StoppingMetric"/> on it, and the returned network holds the parameters of the
    /// best epoch seen, not the last. Default null: the training loss is watched and the last parameters returned.
    /// </summary>
    public IRowSource? Validation { get; init; }

    /// <summary>
    /// Starting parameters (warm start), in the flat layout of the network the settings describe; copied, not
    /// changed. Default null: random initialisation from the seed.
    /// </summary>
    public float[]? InitialParameters { get; init; }

    /// <summary>
    /// The warm start's input scaling, kept instead of fitted anew (its first layer was trained on inputs scaled by it)
    /// when <see cref="TrainingSettings.InputScaling"/> asks for one. Default null: fitted on the rows.
    /// </summary>
    public InputScaling? InitialScaling { get; init; }

    /// <summary>
    /// The warm start's numeric encoding, kept instead of fitted anew (its first layer was trained on rows encoded by it;
    /// <see cref="InitialParameters"/> then have its encoded inputs). Default null: fitted on the rows when
    /// <see cref="TrainingSettings.NumericEncodingBins"/> asks for one.
    /// </summary>
    public PiecewiseLinearEncoding? InitialEncoding { get; init; }

    /// <summary>Called after every epoch, on the training thread, with the epoch's report.</summary>
    public Action<EpochReport>? OnEpoch { get; init; }

    /// <summary>
    /// Checked before every mini-batch (every L-BFGS iteration). Once signalled, training stops within one
    /// mini-batch and returns the best network so far: the best epoch's with a validation set, otherwise the current
    /// parameters. No exception is thrown; <see cref="TrainingResult.StopReason"/> is <see cref="StopReason.Cancelled"/>.
    /// </summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>
    /// File for checkpoints of the full training state (parameters, optimizer moments, epoch, generator state,
    /// row order, schedule and early-stopping state, best parameters, history). When the file exists at the start,
    /// training resumes from it and, with the same data and settings, ends with the same network bit for bit as an
    /// uninterrupted run. Written atomically (a temporary file, then a rename) every
    /// <see cref="CheckpointInterval"/> epochs; deleted when training ends other than by cancellation, so the next
    /// run starts afresh. Default null: no checkpoints.
    /// </summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Epochs between checkpoints, at least 1. Default 1.</summary>
    public int CheckpointInterval { get; init; } = 1;

    /// <summary>
    /// The processes training together, each on its share of every batch (see <see cref="ShardPlan"/>); every rank
    /// passes the same data and settings. Rank 0 alone writes the checkpoint, which every rank resumes from. Default
    /// null: this process trains alone.
    /// </summary>
    public ICollective? Collective { get; init; }

    /// <summary>
    /// Every training row, in the order the rows came, those held out as <see cref="Validation"/> included: after the
    /// validation set has picked the best epoch, a second phase continues from that epoch's network on these rows (see
    /// <see cref="AllRowsPhase"/>), and its network is returned. Needs a <see cref="Validation"/> set (without one there
    /// is no second phase); one process only, not with L-BFGS. Default null: no second phase.
    /// </summary>
    public IRowSource? AllRows { get; init; }
}
