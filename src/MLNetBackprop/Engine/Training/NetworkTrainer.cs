using System.Runtime.InteropServices;
using MLNetBackprop.Engine.Checkpoints;
using MLNetBackprop.Engine.Collective;
using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Randomness;
using MLNetBackprop.Engine.RowSources;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// The entry point of training: checks the settings, lays out and initialises the network, and hands the run to a
/// <see cref="TrainingLoop"/>.
/// </summary>
internal static class NetworkTrainer
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
        => Train(new InMemoryRowSource(data), settings, run);

    /// <summary>
    /// Trains a network on the rows of <paramref name="data"/>, in memory or streamed, as
    /// <see cref="Train(TrainingSet, TrainingSettings, TrainingRunOptions)"/> does.
    /// </summary>
    /// <exception cref="ArgumentException">A setting, run option or the data is invalid; the parameter name is the setting's.</exception>
    /// <exception cref="TrainingDivergedException">The loss or the parameters became non-finite.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint file belongs to another run or is damaged, or a stream failed.</exception>
    public static TrainingResult Train(IRowSource data, TrainingSettings settings, TrainingRunOptions run)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(run);
        SettingsValidator.Validate(data, settings, run);
        var (encoding, scaling) = InputPreparation(data, settings, run);
        var inputs = encoding?.EncodedCount ?? data.FeatureCount;
        var layout = new NetworkLayout(inputs, settings.HiddenLayerSizes, settings.OutputCount, settings.HiddenActivation);
        var random = new SeededRandom(settings.Seed);
        var parameters = new float[layout.ParameterCount];
        if (run.InitialParameters is { } initial)
            initial.CopyTo(parameters, 0);
        else
            ParameterInitializer.Initialize(layout, parameters, random, encoding?.FeatureCount ?? int.MaxValue);
        var secondPhase = run.AllRows is not null && run.Validation is not null;
        var first = new TrainingLoop(data, settings, run, layout, parameters, random, scaling, encoding, keepCheckpoint: secondPhase).Run();
        if (!secondPhase || first.StopReason == StopReason.Cancelled)
            return first;
        var whole = AllRowsPhase.After(first, settings, run);
        // The first phase's checkpoint is kept until the second ends: resuming a cancelled second phase replays the first
        // from it (bit for bit), which gives the second phase the best epoch it starts from.
        if (whole.StopReason != StopReason.Cancelled)
            TrainingCheckpoint.For(data, settings, run)?.Delete();
        return whole;
    }

    // The warm start's encoding and scaling, or those fitted on the rows; on a cluster, rank 0's, so that every rank
    // prepares its rows alike (ranks holding different rows would fit different ones). A rank's share is fitted on its
    // own rows, uncentered when the ranks agreed to train sparse.
    private static (PiecewiseLinearEncoding?, InputScaling?) InputPreparation(IRowSource data, TrainingSettings settings, TrainingRunOptions run)
    {
        if (run.InitialParameters is not null && (run.InitialEncoding is not null || run.InitialScaling is not null))
            return WarmStartPreparation(data, settings, run);
        var local = data is RankRows share ? share.Local : data;
        (PiecewiseLinearEncoding?, InputScaling?) Fit() => settings.NumericEncodingBins > 0
            ? InputScalingFitter.FitEncoded(local, settings.NumericEncodingBins, settings.NumericEncodingInputLimit, scale: settings.InputScaling != InputScalingKind.None)
            : (null, settings.InputScaling == InputScalingKind.None ? null
                : InputScalingFitter.Fit(local, settings.InputScaling == InputScalingKind.RobustOutsideUnitRange, centered: !data.IsSparse));
        if (settings.InputScaling == InputScalingKind.None && settings.NumericEncodingBins == 0)
            return (null, null);
        return run.Collective is { Size: > 1 } collective ? Broadcast(collective, data.FeatureCount, Fit) : Fit();
    }

    private static (PiecewiseLinearEncoding?, InputScaling?) WarmStartPreparation(IRowSource data, TrainingSettings settings, TrainingRunOptions run)
    {
        if (data.IsSparse && run.InitialScaling is { IsCentered: true })
            throw new ArgumentException("The warm start's model centers its inputs, which sparse rows cannot keep; train it afresh on these rows.", nameof(run.InitialScaling));
        if (data.IsSparse && run.InitialEncoding is not null)
            throw new ArgumentException("The warm start's model encodes its numeric features, which needs dense rows; train it afresh on these rows.", nameof(run.InitialEncoding));
        return (run.InitialEncoding, settings.InputScaling == InputScalingKind.None ? null : run.InitialScaling);
    }

    // Rank 0 fits, and its encoding and scaling (or their absence) travel to every rank as the model file stores them.
    private static (PiecewiseLinearEncoding?, InputScaling?) Broadcast(ICollective collective, int featureCount,
        Func<(PiecewiseLinearEncoding?, InputScaling?)> fit)
    {
        byte[] bytes = [];
        if (collective.Rank == 0)
        {
            var (encoding, scaling) = fit();
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream))
            {
                writer.Write(encoding is null ? 0 : encoding.EncodedCount);
                encoding?.Write(writer);
                writer.Write(scaling is null ? 0 : 1);
                scaling?.Write(writer);
            }
            bytes = stream.ToArray();
        }
        var length = new[] { bytes.Length };
        collective.Broadcast(MemoryMarshal.AsBytes(length.AsSpan()), root: 0);
        Array.Resize(ref bytes, length[0]);
        collective.Broadcast(bytes, root: 0);
        using var reader = new BinaryReader(new MemoryStream(bytes));
        var encodedCount = reader.ReadInt32();
        var received = encodedCount == 0 ? null : PiecewiseLinearEncoding.Read(reader, featureCount, encodedCount - featureCount);
        var width = received?.EncodedCount ?? featureCount;
        return (received, reader.ReadInt32() == 0 ? null : InputScaling.Read(reader, width));
    }
}
