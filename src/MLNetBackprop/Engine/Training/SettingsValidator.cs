using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.RowSources;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// Rejects data and shapes that would otherwise fail deep inside a kernel or silently train nonsense: the data (finite
/// features, targets the loss can use, weights), the validation set's shape, initial parameters, and the settings a
/// kernel relies on (layer widths, output count, batch size, epoch limit, dropout rates per layer and each in [0, 1),
/// defined enums) and a usable checkpoint interval and path. Rows in memory are checked here; streamed rows are checked
/// by their stream as they are read, since they are never all at hand.
/// Option rules (ranges and combinations) are the ML.NET bridge's, checked once with user-facing messages. Each
/// <see cref="ArgumentException"/> names the offending setting as its parameter name.
/// </summary>
internal static class SettingsValidator
{
    /// <summary>Throws <see cref="ArgumentException"/> describing the first problem found.</summary>
    public static void Validate(IRowSource data, TrainingSettings settings, TrainingRunOptions? run = null)
    {
        ValidateShape(settings);
        if (data.RowCount == 0)
            throw new ArgumentException("The training set has no rows.", nameof(data));
        if (settings.NumericEncodingBins > 0 && data.IsSparse)
            throw Bad(nameof(settings.NumericEncodingBins), $"is {settings.NumericEncodingBins}, but a numeric encoding needs dense rows and these are sparse");
        if (((data as RankRows)?.Local ?? data) is InMemoryRowSource rows)
            ValidateData(rows.Set, settings);
        // Streams read their rows into slots of one target.
        if (Losses.TargetWidth(settings.Loss, settings.OutputCount) != 1 && (data is not InMemoryRowSource || run?.Validation is not (null or InMemoryRowSource)))
            throw new ArgumentException($"The {settings.Loss} loss with {settings.OutputCount} outputs takes several targets per row, which need the rows in memory.", nameof(data));
        if (run is not null)
        {
            ValidateRun(data, settings, run);
            ValidateSharding(data, settings, run);
        }
    }

    private static void ValidateRun(IRowSource data, TrainingSettings s, TrainingRunOptions run)
    {
        if (run.Validation is { } validation)
        {
            if (validation.FeatureCount != data.FeatureCount)
                throw new ArgumentException($"The validation set has {validation.FeatureCount} features but the training set has {data.FeatureCount}.", nameof(run.Validation));
            if (validation.RowCount == 0)
                throw new ArgumentException("The validation set has no rows.", nameof(run.Validation));
            try
            {
                if (validation is InMemoryRowSource rows)
                    ValidateData(rows.Set, s);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Validation set: {e.Message}", nameof(run.Validation), e);
            }
        }
        if (run.AllRows is { } all)
        {
            if (all.FeatureCount != data.FeatureCount)
                throw new ArgumentException($"All the rows have {all.FeatureCount} features but the training set has {data.FeatureCount}.", nameof(run.AllRows));
            if (run.Collective is { Size: > 1 })
                throw new ArgumentException("A second phase on all the rows trains in one process only; leave Collective unset.", nameof(run.AllRows));
            if (s.Optimizer == OptimizerKind.Lbfgs)
                throw new ArgumentException("The phase on all the rows takes mini-batch steps, which L-BFGS does not; choose another optimizer.", nameof(run.AllRows));
        }
        if (run.InitialParameters is { } initial)
        {
            var inputs = data.FeatureCount + (run.InitialEncoding?.BinCount ?? 0);
            var expected = new NetworkLayout(inputs, s.HiddenLayerSizes, s.OutputCount, s.HiddenActivation).ParameterCount;
            if (initial.Length != expected)
                throw new ArgumentException($"The initial parameters number {initial.Length}, but the network needs {expected}.", nameof(run.InitialParameters));
            if (!initial.All(float.IsFinite))
                throw new ArgumentException("The initial parameters contain a non-finite value.", nameof(run.InitialParameters));
        }
        // The bridge checks these too (as CheckpointEveryEpochs and CheckpointPath), but an engine-only caller could
        // otherwise pass interval 0, which divides by zero after the first epoch, or a blank path, which writes a
        // file named by spaces or fails inside Path.GetFullPath: engine safety, so they stay.
        if (run.CheckpointInterval < 1)
            throw new ArgumentException($"TrainingRunOptions.CheckpointInterval is {run.CheckpointInterval}; it must be at least 1.", nameof(run.CheckpointInterval));
        if (run.CheckpointPath is { } path && string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("TrainingRunOptions.CheckpointPath is blank; give a file path or null.", nameof(run.CheckpointPath));
    }

    private static void ValidateShape(TrainingSettings s)
    {
        if (s.HiddenLayerSizes is null)
            throw Bad(nameof(s.HiddenLayerSizes), "must not be null (use an empty array for a linear model)");
        foreach (var size in s.HiddenLayerSizes)
            if (size < 1)
                throw Bad(nameof(s.HiddenLayerSizes), $"contains {size}; every hidden layer needs at least 1 unit");
        CheckDefined(s.HiddenActivation, nameof(s.HiddenActivation));
        CheckDefined(s.Loss, nameof(s.Loss));
        CheckDefined(s.Optimizer, nameof(s.Optimizer));
        if (s.OutputCount < 1)
            throw Bad(nameof(s.OutputCount), $"is {s.OutputCount}; it must be at least 1");
        if (s.Loss == LossKind.Logistic && s.OutputCount != 1)
            throw Bad(nameof(s.OutputCount), $"is {s.OutputCount}, but the {s.Loss} loss takes one output per row");
        CheckDefined(s.Schedule, nameof(s.Schedule));
        CheckDefined(s.StoppingMetric, nameof(s.StoppingMetric));
        if (s.BatchSize < 1)
            throw Bad(nameof(s.BatchSize), $"is {s.BatchSize}; it must be at least 1");
        if (s.MaxEpochs < 1)
            throw Bad(nameof(s.MaxEpochs), $"is {s.MaxEpochs}; it must be at least 1");
        if (s.DropoutRates is null)
            throw Bad(nameof(s.DropoutRates), "must not be null (use an empty array for no dropout)");
        if (s.DropoutRates.Length > 1 && s.DropoutRates.Length != s.HiddenLayerSizes.Length)
            throw Bad(nameof(s.DropoutRates), $"has {s.DropoutRates.Length} rates for {s.HiddenLayerSizes.Length} hidden layers; give none, one for all, or one per hidden layer");
        foreach (var rate in s.DropoutRates)
            if (!(rate >= 0 && rate < 1)) // also NaN; a rate of 1 would scale the kept units by 1/(1 - rate) = ∞
                throw Bad(nameof(s.DropoutRates), $"contains {rate}; every dropout rate must be in [0, 1)");
        if (s.NumericEncodingBins != 0 && s.NumericEncodingBins is < 2 or > TrainingSettings.MaxNumericEncodingBins)
            throw Bad(nameof(s.NumericEncodingBins), $"is {s.NumericEncodingBins}; it must be 0 (no encoding) or 2 to {TrainingSettings.MaxNumericEncodingBins}");
        if (s.LbfgsHistorySize < 1)
            throw Bad(nameof(s.LbfgsHistorySize), $"is {s.LbfgsHistorySize}; it must be at least 1");
        if (s.GradientShards < 1)
            throw Bad(nameof(s.GradientShards), $"is {s.GradientShards}; it must be at least 1");
    }

    // A sharded run reads every row in memory, or this rank's share of the rows, where each rank mixes its own rows
    // and so computes one shard.
    private static void ValidateSharding(IRowSource data, TrainingSettings s, TrainingRunOptions run)
    {
        var (rank, ranks) = (run.Collective?.Rank ?? 0, run.Collective?.Size ?? 1);
        if (s.GradientShards % ranks != 0)
            throw Bad(nameof(s.GradientShards), $"is {s.GradientShards}, which {ranks} ranks cannot share; use a multiple of {ranks}");
        foreach (var (source, name) in new[] { (data, nameof(data)), (run.Validation, nameof(run.Validation)) })
            if (source is RankRows share && (share.Rank, share.Size) != (rank, ranks))
                throw new ArgumentException($"The rows are rank {share.Rank}'s share of {share.Size} ranks, but this is rank {rank} of {ranks}.", name);
        if (run.Validation is RankRows && s.GradientShards != ranks)
            throw Bad(nameof(s.GradientShards), $"is {s.GradientShards}, but a rank's share of the validation rows is one shard: use {ranks}, the number of ranks");
        if (s.GradientShards == 1)
            return;
        var parameters = NetworkLayout.CountParameters([MostInputs(data.FeatureCount, s), .. s.HiddenLayerSizes, s.OutputCount]);
        if ((long)s.GradientShards * parameters > Array.MaxLength)
            throw Bad(nameof(s.GradientShards), $"is {s.GradientShards}: a slot of {parameters:N0} parameters per shard is more than an array holds; use fewer shards");
        if (data is not (InMemoryRowSource or RankRows))
            throw new ArgumentException("Training on several ranks or gradient shards needs its rows in memory, or each rank's share of a stream.", nameof(data));
        if (data is RankRows && s.GradientShards != ranks)
            throw Bad(nameof(s.GradientShards), $"is {s.GradientShards}, but a rank's share of the rows is one shard: use {ranks}, the number of ranks");
    }

    // The network's inputs before the numeric encoding is fitted: at most every feature's bins, within the limit.
    private static int MostInputs(int featureCount, TrainingSettings s)
        => (int)Math.Min(int.MaxValue, featureCount + Math.Min((long)featureCount * s.NumericEncodingBins, s.NumericEncodingInputLimit));

    private static void ValidateData(TrainingSet data, TrainingSettings s)
    {
        CheckFeaturesFinite(data);
        var width = Losses.TargetWidth(s.Loss, s.OutputCount);
        if (data.TargetWidth != width)
            throw new ArgumentException($"The rows have {data.TargetWidth} targets each, but the {s.Loss} loss with {s.OutputCount} outputs takes {width}.", nameof(data));
        for (var r = 0; r < data.RowCount; r++)
            for (var j = 0; j < width; j++)
                CheckTarget(data.Targets[r * width + j], r, j, s);
        if (data.Weights is { } weights)
        {
            double sum = 0;
            for (var r = 0; r < weights.Length; r++)
            {
                if (!(float.IsFinite(weights[r]) && weights[r] >= 0))
                    throw new ArgumentException($"The weight of row {r} is {weights[r]}; weights must be finite and non-negative.", nameof(data));
                sum += weights[r];
            }
            if (!(sum > 0))
                throw new ArgumentException("All example weights are zero; nothing can be learned.", nameof(data));
        }
    }

    private static void CheckFeaturesFinite(TrainingSet data)
    {
        if (data.SparseFeatures is { } sparse)
        {
            for (var r = 0; r < sparse.RowCount; r++)
            {
                var values = sparse.ValuesOf(r);
                for (var k = 0; k < values.Length; k++)
                    if (!float.IsFinite(values[k]))
                        throw NotFinite(sparse.IndicesOf(r)[k], r, values[k]);
            }
            return;
        }
        var features = data.Features!;
        for (var i = 0; i < features.Length; i++)
            if (!float.IsFinite(features[i]))
                throw NotFinite(i % data.FeatureCount, i / data.FeatureCount, features[i]);
    }

    private static ArgumentException NotFinite(int feature, int row, float value)
        => new($"Feature {feature} of row {row} is {value}; features must be finite.", "data");

    // Target `index` of a row: a multi-label row holds its labels, then their weights; a row of several regression
    // targets may have NaN ones, which the loss masks out.
    private static void CheckTarget(float target, int row, int index, TrainingSettings s)
    {
        var labelWeight = s.Loss == LossKind.MultiLabelLogistic && index >= s.OutputCount;
        var ok = s.Loss switch
        {
            LossKind.SoftmaxCrossEntropy => target >= 0 && target < s.OutputCount && target == MathF.Floor(target),
            // Soft labels in [0, 1] are valid for binary cross-entropy.
            LossKind.Logistic => target is >= 0 and <= 1,
            LossKind.MultiLabelLogistic when labelWeight => float.IsFinite(target) && target >= 0,
            LossKind.MultiLabelLogistic => target is >= 0 and <= 1,
            _ => float.IsFinite(target) || (float.IsNaN(target) && s.OutputCount > 1),
        };
        if (!ok)
        {
            var expected = s.Loss switch
            {
                LossKind.SoftmaxCrossEntropy => $"a class index from 0 to {s.OutputCount - 1}",
                LossKind.Logistic or LossKind.MultiLabelLogistic when !labelWeight => "a label between 0 and 1",
                LossKind.MultiLabelLogistic => "a finite, non-negative label weight",
                _ => "a finite number",
            };
            var which = Losses.TargetWidth(s.Loss, s.OutputCount) == 1 ? "target" : $"target {index}";
            throw new ArgumentException($"The {which} of row {row} is {target}; the {s.Loss} loss needs {expected}.", "data");
        }
    }

    private static void CheckDefined<T>(T value, string name) where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw Bad(name, $"is {value}, which is not a known {typeof(T).Name}");
    }

    private static ArgumentException Bad(string setting, string problem)
        => new($"TrainingSettings.{setting} {problem}.", setting);
}
