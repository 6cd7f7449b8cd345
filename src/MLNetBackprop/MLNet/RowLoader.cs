using System.Globalization;
using Microsoft.ML.Runtime;
using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.MLNet;

/// <summary>
/// Reads a trainer's training and validation rows as <see cref="MlpOptionsBase.DataLoading"/> says: into memory
/// (failing clearly when they cannot fit), or streamed after a first pass that counts, checks and summarises them; and
/// holds out <see cref="MlpOptionsBase.ValidationFraction"/> of the training rows when no validation set is given.
/// Logs each choice with its figures. With an <paramref name="agreement"/> (ranks whose views hold their own rows), the
/// automatic validation fraction follows every rank's rows, and the ranks hold rows out together or not at all.
/// </summary>
internal sealed class RowLoader(IChannel channel, MlpOptionsBase options, int classCount, bool stratify, int seed,
    RankAgreement? agreement = null)
{
    /// <summary>
    /// The training rows, and validation rows from <paramref name="validation"/> or held out of the training rows; in the
    /// latter case, when <see cref="MlpOptionsBase.TrainOnHeldOutRows"/> applies, the training rows carry every row as
    /// <see cref="TrainingRows.AllRows"/>.
    /// </summary>
    public (TrainingRows Train, TrainingRows? Validation) Load(CursorRowStream train, CursorRowStream? validation)
    {
        if (TryInMemory(train, sparse: null) is not { } rows)
        {
            if (train.Columns.LabelSize > 0)
                throw new InvalidOperationException(VectorLabelStreamedMessage);
            if (options.TrainOnHeldOutRows == true && validation is null)
                throw new InvalidOperationException("Option TrainOnHeldOutRows is true, which needs the training rows in memory, but DataLoading Auto " +
                    "streams them (they do not fit in half of the memory .NET may use): leave TrainOnHeldOutRows null, or give the process more memory.");
            return LoadStreamed(train, validation);
        }
        var (rowCount, sparse) = RulesSee(rows.RowCount, rows.IsSparse);
        if (validation is not null)
            return (TrainingRows.InMemory(rows, classCount), ReadValidation(validation, rows.IsSparse));
        var fraction = options.ResolveValidationFraction(rowCount, sparse);
        if (fraction == 0)
        {
            if (options.TrainOnHeldOutRows == true)
                channel.Info("TrainOnHeldOutRows: no rows are held out for validation here (the automatic ValidationFraction is 0 below " +
                    $"{MlpOptionsBase.Defaults.AutomaticValidationMinimumRows} rows, and for dense rows under the ScikitLearn preset), so every row trains already.");
            return (TrainingRows.InMemory(rows, classCount), null);
        }
        var (kept, held) = HoldOut(rows, fraction);
        return held is not null && TrainsOnHeldOutRows(rowCount, sparse)
            ? (kept.WithAllRows(TrainingRows.InMemory(rows, classCount)), held)
            : (kept, held);
    }

    // Whether training goes on to use the rows held out of the training rows in memory (MlpOptionsBase.TrainOnHeldOutRows).
    private bool TrainsOnHeldOutRows(int rowCount, bool sparse)
    {
        var several = options.Cluster is { Size: > 1 };
        if (options.TrainOnHeldOutRows is { } given)
            return given && !several;
        // Any Cluster or GradientShards asks for the model of a data-parallel job, which one process must reproduce.
        var distributed = options.Cluster is not null || options.GradientShards is not null;
        return options.ValidationFraction is null && !sparse && !distributed && options.Optimizer != MlpOptimizer.Lbfgs
            && rowCount <= MlpOptionsBase.Defaults.TrainOnHeldOutRowsMaximumRows;
    }

    // The row count and sparseness the automatic rules see: this view's, or every rank's rows and rank 0's choice.
    private (int Rows, bool Sparse) RulesSee(long rows, bool sparse)
    {
        if (agreement is null)
            return ((int)Math.Min(int.MaxValue, rows), sparse);
        return ((int)Math.Min(int.MaxValue, agreement.Counts(rows).Sum()), agreement.Root(sparse));
    }

    // Whether every rank can hold rows out (each alone when there are no ranks).
    private bool EveryRankCan(bool mine) => agreement?.All(mine) ?? mine;

    // Bytes of the rows already read into memory: Auto's share covers the training and validation rows together.
    private long _inMemoryBytes;

    // The rows in memory, or null when they are to be streamed: as DataLoading says, or when Auto finds them too large.
    private TrainingSet? TryInMemory(CursorRowStream stream, bool? sparse)
    {
        if (options.DataLoading == MlpDataLoading.Streaming)
            return null;
        var total = MemoryBudget.Total;
        var auto = options.DataLoading == MlpDataLoading.Auto;
        var share = (long)(total * MlpOptionsBase.Defaults.AutomaticInMemoryShare);
        var budget = auto ? Math.Max(0, share - _inMemoryBytes) : total;
        var allowance = _inMemoryBytes == 0
            ? $"half of the {MemoryBudget.Megabytes(total)} .NET may use"
            : $"the {MemoryBudget.Megabytes(budget)} left of half of the {MemoryBudget.Megabytes(total)} .NET may use once the training rows are in memory";
        TrainingDataReader.Result read;
        try
        {
            read = TrainingDataReader.Read(stream, sparse, budget);
        }
        catch (OutOfMemoryException e)
        {
            if (!auto)
                throw new InvalidOperationException(TooLargeMessage(stream.Description, estimate: null, total), e);
            channel.Warning($"DataLoading Auto: the {stream.Description} rows ran out of memory while being read, so they are streamed. " +
                "This choice depends on the memory free at the time, so another run may choose otherwise; set DataLoading to fix it.");
            return null;
        }
        if (read.Rows is null)
        {
            if (!auto)
                throw new InvalidOperationException(TooLargeMessage(stream.Description, read.EstimatedBytes, total));
            channel.Info($"DataLoading Auto chose Streaming for the {stream.Description} rows: they would take about " +
                $"{MemoryBudget.Megabytes(read.EstimatedBytes)} in memory, more than {allowance}.");
            return null;
        }
        ReportSkippedRows(read.Reader, stream.Description);
        if (read.Rows.RowCount == 0)
            throw new InvalidOperationException(NoRowsMessage(read.Reader, stream.Description));
        if (auto)
            channel.Info($"DataLoading Auto chose InMemory for the {stream.Description} rows: they take about " +
                $"{MemoryBudget.Megabytes(read.EstimatedBytes)}, within {allowance}.");
        _inMemoryBytes += read.EstimatedBytes;
        return read.Rows;
    }

    /// <summary>Why a vector label cannot be streamed, and what to do.</summary>
    public string VectorLabelStreamedMessage =>
        $"Label column '{options.LabelColumnName}' is a vector (multi-output regression or multi-label classification), whose rows " +
        $"must be held in memory, but DataLoading is {options.DataLoading}{(options.DataLoading == MlpDataLoading.Auto ? " and they do not fit in half of the memory .NET may use" : "")}. " +
        "Set DataLoading to InMemory (or Auto) and give the process enough memory, or train on a sample of the rows.";

    private static string TooLargeMessage(string which, long? estimate, long total) =>
        $"The {which} rows do not fit in memory: {(estimate is { } bytes ? $"they need about {MemoryBudget.Megabytes(bytes)}" : "reading them ran out of memory")}, " +
        $"and .NET may use {MemoryBudget.Megabytes(total)} in all (GCMemoryInfo.TotalAvailableMemoryBytes, which counts container limits " +
        "and DOTNET_GCHeapHardLimit). Set the trainer option DataLoading to MlpDataLoading.Streaming (or Auto) to read them from " +
        "the data view every epoch instead, or give the process more memory.";

    private TrainingRows ReadValidation(CursorRowStream validation, bool sparse)
    {
        if (options.ValidationFraction > 0)
            channel.Warning($"ValidationFraction {options.ValidationFraction} is ignored: Fit was given a validation set.");
        if (options.TrainOnHeldOutRows == true)
            channel.Warning("TrainOnHeldOutRows is ignored: Fit was given a validation set, so no training rows are held out.");
        if (TryInMemory(validation, sparse) is { } rows)
            return TrainingRows.InMemory(rows, classCount);
        if (validation.Columns.LabelSize > 0)
            throw new InvalidOperationException(VectorLabelStreamedMessage);
        var (all, _, _, _, reader) = StreamSummary.Measure(validation, classCount);
        ReportSkippedRows(reader, validation.Description);
        CheckUsable(all, reader, validation.Description);
        return TrainingRows.Streamed(validation, all, sparse, 1);
    }

    private (TrainingRows Train, TrainingRows? Validation) HoldOut(TrainingSet rows, float fraction)
    {
        (TrainingSet Train, TrainingSet Validation)? split = null;
        ArgumentException? problem = null;
        try
        {
            split = DataSplit.HoldOut(rows, fraction, stratify, seed);
        }
        catch (ArgumentException e)
        {
            problem = e;
        }
        if (!EveryRankCan(problem is null))
            problem ??= new ArgumentException("Another rank's rows leave no rows on one side of the split; give every rank more rows or another fraction.");
        if (problem is not null)
        {
            if (options.ValidationFraction is not null)
                throw new InvalidOperationException($"Option ValidationFraction is {fraction}: {problem.Message}", problem);
            // An automatic choice must not fail a run the user configured nothing for: train without a validation set.
            channel.Info($"No validation set (automatic ValidationFraction {fraction}): {problem.Message}");
            return (TrainingRows.InMemory(rows, classCount), null);
        }
        channel.Info($"Held out {split!.Value.Validation.RowCount} of {rows.RowCount} rows for validation.");
        return (TrainingRows.InMemory(split.Value.Train, classCount), TrainingRows.InMemory(split.Value.Validation, classCount));
    }

    // Streaming: one first pass counts, checks and summarises the rows (and, when rows may be held out for validation,
    // both sides of the split), then every epoch reads them again.
    private (TrainingRows Train, TrainingRows? Validation) LoadStreamed(CursorRowStream train, CursorRowStream? validation)
    {
        var candidate = validation is null ? options.ValidationFraction ?? MlpOptionsBase.Defaults.SparseValidationFraction : 0f;
        var selection = candidate > 0 ? new RowSelection(candidate, seed) : (RowSelection?)null;
        var heldOutBudget = selection is null ? 0 : (long)(MemoryBudget.Total * HeldOutInMemoryShare);
        // The automatic fraction holds rows out of sparse rows only, so dense-looking rows need not be kept for it.
        var (all, kept, heldOut, heldOutRows, reader) = StreamSummary.Measure(train with { Selection = selection, Side = RowSide.All }, classCount,
            heldOutBudget, heldOutOnlyIfSparse: options.ValidationFraction is null);
        ReportSkippedRows(reader, train.Description);
        CheckUsable(all, reader, train.Description);
        var sparse = all.IsSparse;
        var (rowCount, rulesSparse) = RulesSee(all.Rows, sparse);
        // Ranks sharing one view take their rows by place in the view's order, which a shuffled cursor would change.
        var viewShuffles = train.CanShuffle && options is not { Cluster.Size: > 1, ClusterData: MlpClusterData.SameView };
        var bufferRows = ShuffleBufferRows(all, train.FeatureCount, viewShuffles);
        var order = options.Shuffle
            ? string.Create(CultureInfo.InvariantCulture,
                $"through a shuffle buffer of {Math.Min(bufferRows, all.Rows):N0} rows{(viewShuffles && bufferRows < all.Rows ? " from a cursor in random order" : "")}")
            : "in order";
        channel.Info(string.Create(CultureInfo.InvariantCulture,
            $"Streaming the {train.Description} data: {all.Rows:N0} rows read in a first pass; each epoch reads them again {order}."));
        if (validation is not null)
            return (TrainingRows.Streamed(train, all, sparse, bufferRows), ReadValidation(validation, sparse));
        var fraction = options.ResolveValidationFraction(rowCount, rulesSparse);
        if (fraction > 0 && !EveryRankCan(kept.Rows > 0 && heldOut.Rows > 0))
        {
            var problem = kept.Rows > 0 && heldOut.Rows > 0
                ? $"holding out {fraction} of another rank's rows by row id leaves no rows on one side"
                : $"holding out {fraction} of {all.Rows} rows by row id leaves {(heldOut.Rows == 0 ? "no validation rows" : "no training rows")}";
            if (options.ValidationFraction is not null)
                throw new InvalidOperationException($"Option ValidationFraction is {fraction}: {problem}; use more data or another fraction.");
            channel.Info($"No validation set (automatic ValidationFraction {fraction}): {problem}.");
            fraction = 0;
        }
        if (fraction == 0)
            return (TrainingRows.Streamed(train, all, sparse, bufferRows), null);
        CheckUsable(kept, reader, train.Description);
        CheckUsable(heldOut, reader, "held-out validation");
        var split = train with { Selection = selection };
        var trainRows = TrainingRows.Streamed(split with { Side = RowSide.Training }, kept, sparse, bufferRows);
        if (heldOutRows is not null && heldOutRows.PeakBytes(sparse) <= heldOutBudget)
        {
            channel.Info(string.Create(CultureInfo.InvariantCulture,
                $"Held out {heldOut.Rows} of {all.Rows} rows for validation, chosen by a hash of their row id, and kept them in memory " +
                $"({MemoryBudget.Megabytes(heldOutRows.PeakBytes(sparse))})."));
            return (trainRows, TrainingRows.InMemory(heldOutRows.Drain(sparse), classCount));
        }
        channel.Info($"Held out {heldOut.Rows} of {all.Rows} rows for validation, chosen by a hash of their row id; they are streamed " +
            $"too (more than {MemoryBudget.Megabytes(heldOutBudget)}), so each validation reads the data once more.");
        return (trainRows, TrainingRows.Streamed(split with { Side = RowSide.Validation }, heldOut, sparse, 1));
    }

    /// <summary>
    /// The share of the memory .NET may use that the held-out validation rows of a streamed run may take in memory:
    /// within it, validating costs no pass over the data; beyond it, the held-out rows are streamed too.
    /// </summary>
    private const double HeldOutInMemoryShare = 0.125;

    // The buffer's rows: the option, or as many rows as fit in its megabytes (sparse rows by their mean non-zeros).
    private int ShuffleBufferRows(StreamSummary rows, int featureCount, bool viewShuffles)
    {
        var featureBytes = rows.IsSparse ? rows.NonZeros / (double)rows.Rows * (sizeof(float) + sizeof(int)) : featureCount * (double)sizeof(float);
        return options.ResolveShuffleBufferSize(featureBytes + 2 * sizeof(float), viewShuffles);
    }

    // Streamed rows are never all in memory for the engine to check, so the first pass's figures are checked here.
    private void CheckUsable(StreamSummary rows, CursorRowReader reader, string which)
    {
        if (rows.Rows == 0)
            throw new InvalidOperationException(NoRowsMessage(reader, which));
        if (!(rows.Labels.WeightSum > 0))
            throw new InvalidOperationException(
                $"All example weights of the {which} rows are zero (column '{options.ExampleWeightColumnName}'); nothing can be learned.");
    }

    private void ReportSkippedRows(CursorRowReader read, string which)
    {
        if (read.SkippedBadFeatures > 0)
            channel.Warning($"Skipped {read.SkippedBadFeatures} {which} rows whose feature column '{options.FeatureColumnName}' has NaN or infinite values.");
        if (read.SkippedMissingLabel > 0)
            channel.Warning($"Skipped {read.SkippedMissingLabel} {which} rows whose label column '{options.LabelColumnName}' is missing (NaN, infinite or an empty key).");
    }

    private string NoRowsMessage(CursorRowReader read, string which)
    {
        var skipped = read.SkippedBadFeatures + read.SkippedMissingLabel;
        return skipped == 0
            ? $"The {which} data has no rows."
            : $"No {which} rows are left: all {skipped} rows were skipped ({read.SkippedBadFeatures} with NaN or infinite values in " +
              $"'{options.FeatureColumnName}', {read.SkippedMissingLabel} with a missing label in '{options.LabelColumnName}'). " +
              "Replace missing values first, e.g. with mlContext.Transforms.ReplaceMissingValues.";
    }
}
