using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>
/// Training with <see cref="MlpDataLoading.Streaming"/> through ML.NET: the same models as in memory where the design
/// promises it, close ones where a bounded shuffle buffer mixes the rows, and clear errors when a row or the data
/// source goes bad mid-stream.
/// </summary>
public class StreamingTrainingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-streaming-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Cases without ValidationFraction: a streamed split holds rows out by a hash of their id, not stratified as in memory.
    public static TheoryData<string> CasesWithoutHeldOutRows => new()
    {
        "binary-defaults", "multiclass-defaults", "multiclass-wide-input", "regression-defaults",
        "regression-adamw-cosine-huber-gelu", "regression-lbfgs-sigmoid",
    };

    [Theory]
    [MemberData(nameof(CasesWithoutHeldOutRows))]
    public void Streaming_through_a_buffer_that_holds_every_row_gives_the_in_memory_model_bit_for_bit(string name)
    {
        var streamed = GoldenModelTests.Train(name, o =>
        {
            o.DataLoading = MlpDataLoading.Streaming;
            o.ShuffleBufferSize = 100_000;
        });
        Assert.Equal(GoldenModelTests.ParameterHash(name), GoldenModelTests.HashOf(streamed));
    }

    // An MLContext whose log messages are kept without ML.NET's "[Source=..., Kind=...] " prefix.
    private static (MLContext Ml, List<string> Log) Logged()
    {
        var ml = new MLContext(seed: 1);
        var log = new List<string>();
        ml.Log += (_, e) => { lock (log) log.Add(e.RawMessage); };
        return (ml, log);
    }

    // ---- Digits through a small shuffle buffer, from a view that cannot shuffle and from one that can ----

    private sealed class Digit
    {
        [VectorType(64)] public float[] Pixels { get; set; } = [];
        public float Label { get; set; }
    }

    // The digits' training rows prepared for the trainer (key label, normalized Features), from an enumerable that
    // cannot shuffle or from ML.NET's cache of them, which can; and the prepared test rows.
    private static (IDataView Train, IDataView Test) Digits(MLContext ml, bool shuffleable)
    {
        var split = ml.Data.TrainTestSplit(ShippedData.Digits(ml), testFraction: 0.2, seed: 1);
        var rows = ml.Data.CreateEnumerable<Digit>(split.TrainSet, reuseRowObject: false).ToArray();
        var train = ml.Data.LoadFromEnumerable(rows);
        var prepare = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", "Pixels"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Fit(train);
        var prepared = prepare.Transform(train);
        return (shuffleable ? ml.Data.Cache(prepared) : prepared, prepare.Transform(split.TestSet));
    }

    private static MlpMulticlassTrainer.Options DigitOptions(MlpDataLoading loading, int? buffer = null, int epochs = 20) => new()
    {
        HiddenLayerSizes = [32], NumberOfEpochs = epochs, BatchSize = 32, LearningRate = 0.01f, Tolerance = 0, Seed = 5,
        DataLoading = loading, ShuffleBufferSize = buffer,
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Streaming_digits_through_a_128_row_buffer_reaches_the_in_memory_accuracy(bool shuffleable)
    {
        var (ml, log) = Logged();
        var (train, test) = Digits(ml, shuffleable);
        Assert.Equal(shuffleable, train.CanShuffle);

        var inMemory = ml.MulticlassClassification.Evaluate(ml.MulticlassClassification.Trainers.Mlp(DigitOptions(MlpDataLoading.InMemory)).Fit(train).Transform(test));
        var streamed = ml.MulticlassClassification.Evaluate(ml.MulticlassClassification.Trainers.Mlp(DigitOptions(MlpDataLoading.Streaming, buffer: 128)).Fit(train).Transform(test));

        Assert.Contains(log, m => m.Contains("shuffle buffer of 128 rows") && m.Contains("from a cursor in random order") == shuffleable);
        Assert.True(inMemory.MicroAccuracy > 0.9, $"in memory {inMemory.MicroAccuracy:F4}");
        var accuracies = $"in memory {inMemory.MicroAccuracy:F4} micro, {inMemory.MacroAccuracy:F4} macro; streamed {streamed.MicroAccuracy:F4}, {streamed.MacroAccuracy:F4}";
        Assert.True(streamed.MicroAccuracy >= inMemory.MicroAccuracy - 0.03, accuracies);
        Assert.True(streamed.MacroAccuracy >= inMemory.MacroAccuracy - 0.03, accuracies);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Streaming_twice_with_the_same_seed_and_a_small_buffer_gives_the_same_model_bit_for_bit(bool shuffleable)
    {
        var (ml, log) = Logged();
        var (train, _) = Digits(ml, shuffleable);
        Assert.Equal(shuffleable, train.CanShuffle);
        MlpMulticlassModelParameters Fit(int seed)
        {
            var options = DigitOptions(MlpDataLoading.Streaming, buffer: 64, epochs: 3);
            options.Seed = seed;
            return ml.MulticlassClassification.Trainers.Mlp(options).Fit(train).Model;
        }

        var first = Fit(5);
        var second = Fit(5);
        var otherSeed = Fit(6);

        Assert.Equal(3, log.Count(m => m.StartsWith("Streaming the training data", StringComparison.Ordinal)
            && m.Contains("from a cursor in random order") == shuffleable));
        AssertSameParameters(first, second);
        Assert.NotEqual(first.GetLayerParameters(0).Weights, otherSeed.GetLayerParameters(0).Weights);
    }

    private static void AssertSameParameters<T>(MlpModelParametersBase<T> expected, MlpModelParametersBase<T> actual)
    {
        Assert.Equal(expected.LayerSizes, actual.LayerSizes);
        Assert.Equal(Parameters(expected), Parameters(actual));
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    // ---- Validation, early stopping, every task ----

    // Feature 0 decides the label, but 30% of the labels are flipped, so a wide network overfits and stops early.
    private static IDataView Noisy(MLContext ml, int count, int seed)
    {
        var random = new Random(seed);
        var rows = SyntheticRows.TwoFeaturesOneInformative(count, seed);
        foreach (var row in rows)
            row.Label ^= random.NextDouble() < 0.3;
        return ml.Data.LoadFromEnumerable(rows);
    }

    [Fact]
    public void Streaming_with_a_validation_fraction_holds_rows_out_by_row_id_and_stops_early_at_the_best_epoch()
    {
        var (ml, log) = Logged();
        var model = ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options
        {
            HiddenLayerSizes = [64], NumberOfEpochs = 300, LearningRate = 0.03f, BatchSize = 8, Tolerance = 1e-6f, EpochsWithoutImprovement = 5,
            Seed = 2, ValidationFraction = 0.25f, DataLoading = MlpDataLoading.Streaming, ShuffleBufferSize = 16,
        }).Fit(Noisy(ml, 80, 1)).Model;

        var heldOut = log.Select(m => Regex.Match(m, @"^Held out (\d+) of 80 rows for validation, chosen by a hash of their row id, and kept them in memory \(\d+ MB\)\.$")).Single(m => m.Success);
        Assert.InRange(int.Parse(heldOut.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 8, 32);
        Assert.InRange(model.TrainingHistory.Count, 6, 299);
        Assert.Contains(log, m => m.Contains($"Stopped after {model.TrainingHistory.Count} epochs: the validation loss"));
        Assert.All(model.TrainingHistory, h => Assert.NotNull(h.ValidationLoss));
        var losses = model.TrainingHistory.Select(h => h.ValidationLoss!.Value).ToList();
        Assert.Equal(losses.IndexOf(losses.Min()) + 1, model.BestEpoch);
        Assert.True(model.BestEpoch < model.TrainingHistory.Count);
    }

    [Fact]
    public void Streaming_fit_with_a_validation_set_streams_both_and_keeps_the_best_epoch()
    {
        var (ml, log) = Logged();
        var model = ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options
        {
            HiddenLayerSizes = [16], NumberOfEpochs = 15, LearningRate = 0.01f, BatchSize = 16, Tolerance = 0, Seed = 3,
            DataLoading = MlpDataLoading.Streaming, ShuffleBufferSize = 32,
        }).Fit(ml.Data.LoadFromEnumerable(SyntheticRows.TwoFeaturesOneInformative(200, 1)), ml.Data.LoadFromEnumerable(SyntheticRows.TwoFeaturesOneInformative(100, 2))).Model;

        Assert.Contains(log, m => m.StartsWith("Streaming the training data: 200 rows", StringComparison.Ordinal));
        Assert.Equal(15, model.TrainingHistory.Count);
        Assert.All(model.TrainingHistory, h => Assert.InRange(h.ValidationAccuracy!.Value, 0, 1));
        Assert.True(model.TrainingHistory[^1].ValidationAccuracy > 0.9, $"validation accuracy {model.TrainingHistory[^1].ValidationAccuracy}");
        var losses = model.TrainingHistory.Select(h => h.ValidationLoss!.Value).ToList();
        Assert.Equal(losses.IndexOf(losses.Min()) + 1, model.BestEpoch);
    }

    public static TheoryData<string> StreamedTasks => new()
    {
        "binary", "regression", "multiclass-balanced-weighted", "binary-lbfgs", "regression-lbfgs",
    };

    private static (TrainerUnderTest Trainer, Action<MlpOptionsBase> Configure) TaskNamed(string name) => name switch
    {
        "multiclass-balanced-weighted" => (TrainerUnderTest.Multiclass, BalancedAndWeighted),
        "binary-lbfgs" => (TrainerUnderTest.Binary, o => o.Optimizer = MlpOptimizer.Lbfgs),
        "regression-lbfgs" => (TrainerUnderTest.Regression, o => o.Optimizer = MlpOptimizer.Lbfgs),
        _ => (TrainerUnderTest.Named(name), _ => { }),
    };

    private static void BalancedAndWeighted(MlpOptionsBase options)
    {
        ((MlpMulticlassTrainer.Options)options).ClassWeighting = MlpClassWeighting.Balanced;
        options.ExampleWeightColumnName = nameof(ConformanceRow.Weight);
    }

    // Unbalanced classes (few of class 0) with varied example weights.
    private static ConformanceRow[] TaskRows(int count, int seed)
    {
        var rows = ConformanceRow.Generate(count, 4, seed);
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i].Weight = 0.5f + i % 3;
            if (rows[i].Class == 0 && i % 3 != 0)
                rows[i].Class = 1;
        }
        return rows;
    }

    private static double Quality(MLContext ml, string task, IDataView scored) => task switch
    {
        _ when task.StartsWith("binary", StringComparison.Ordinal) => ml.BinaryClassification.Evaluate(scored, "Flag").Accuracy,
        _ when task.StartsWith("multiclass", StringComparison.Ordinal) => ml.MulticlassClassification.Evaluate(scored, "ClassKey").MacroAccuracy,
        _ => ml.Regression.Evaluate(scored, "Target").RSquared,
    };

    [Theory]
    [MemberData(nameof(StreamedTasks))]
    public void Every_task_streams_to_the_in_memory_model_with_a_whole_buffer_and_close_to_its_quality_with_a_small_one(string task)
    {
        var (trainer, configure) = TaskNamed(task);
        var ml = new MLContext(seed: 1);
        var train = ConformanceRow.View(ml, TaskRows(600, 1), 4);
        var test = ConformanceRow.View(ml, TaskRows(300, 2), 4);
        ITransformer Fit(MlpDataLoading loading, int? buffer) => trainer.Pipeline(ml, o =>
        {
            o.NumberOfEpochs = 30;
            o.Seed = 4;
            // Held-out rows differ by design: stratified in memory, by row id when streamed.
            o.ValidationFraction = 0;
            o.DataLoading = loading;
            o.ShuffleBufferSize = buffer;
            configure(o);
        }).Fit(train);

        var inMemory = Fit(MlpDataLoading.InMemory, null);
        var whole = Fit(MlpDataLoading.Streaming, 100_000);
        var small = Fit(MlpDataLoading.Streaming, 16);

        Assert.Equal(Parameters(inMemory), Parameters(whole));
        var expected = Quality(ml, task, inMemory.Transform(test));
        Assert.True(expected > 0.8, $"in memory {expected:F4}");
        Assert.InRange(Quality(ml, task, small.Transform(test)), expected - 0.05, 1);
    }

    private static int[] Parameters(ITransformer pipeline) => ((IPredictionTransformer<object>)((IEnumerable<ITransformer>)pipeline).Last()).Model switch
    {
        MlpModelParametersBase<float> model => Parameters(model),
        MlpModelParametersBase<VBuffer<float>> model => Parameters(model),
        var other => throw new InvalidOperationException($"not an MLP: {other}"),
    };

    private static int[] Parameters<T>(MlpModelParametersBase<T> model) => Enumerable.Range(0, model.LayerSizes.Count - 1)
        .SelectMany(layer => Bits(model.GetLayerParameters(layer).Weights).Concat(Bits(model.GetLayerParameters(layer).Biases))).ToArray();

    // ---- Bad rows mid-stream ----

    [Fact]
    public void A_negative_example_weight_mid_stream_fails_naming_the_weight_column_and_the_row()
    {
        var ml = new MLContext(seed: 1);
        var rows = ConformanceRow.Generate(300, 4, 1);
        rows[236].Weight = -1;
        var pipeline = TrainerUnderTest.Regression.Pipeline(ml, o =>
        {
            o.ExampleWeightColumnName = nameof(ConformanceRow.Weight);
            o.DataLoading = MlpDataLoading.Streaming;
            o.ShuffleBufferSize = 16;
        });

        var error = Assert.Throws<InvalidOperationException>(() => pipeline.Fit(ConformanceRow.View(ml, rows, 4)));

        Assert.Contains("Example weight column 'Weight' has the value -1 in row 237 of the training data", error.Message);
    }

    [Fact]
    public void Streamed_rows_whose_example_weights_are_all_zero_fail_before_training()
    {
        var ml = new MLContext(seed: 1);
        var rows = ConformanceRow.Generate(100, 4, 1);
        foreach (var row in rows)
            row.Weight = 0;
        var pipeline = TrainerUnderTest.Regression.Pipeline(ml, o =>
        {
            o.ExampleWeightColumnName = nameof(ConformanceRow.Weight);
            o.DataLoading = MlpDataLoading.Streaming;
        });

        var error = Assert.Throws<InvalidOperationException>(() => pipeline.Fit(ConformanceRow.View(ml, rows, 4)));

        Assert.Contains("All example weights of the training rows are zero (column 'Weight')", error.Message);
    }

    [Theory]
    [InlineData("InMemory")]
    [InlineData("Streaming")]
    public void Rows_with_NaN_features_are_skipped_and_counted_alike_in_memory_and_streamed(string loading)
    {
        var (ml, log) = Logged();
        var rows = ConformanceRow.Generate(300, 4, 1);
        foreach (var i in new[] { 3, 150, 151, 299 })
            rows[i].Features[i % 4] = float.NaN;
        rows[200].Features[1] = float.PositiveInfinity;
        var pipeline = TrainerUnderTest.Multiclass.Pipeline(ml, o =>
        {
            o.DataLoading = Enum.Parse<MlpDataLoading>(loading);
            o.ShuffleBufferSize = 16;
            o.ValidationFraction = 0.2f;
        });

        pipeline.Fit(ConformanceRow.View(ml, rows, 4));

        var skipped = Assert.Single(log, m => m.Contains("Skipped"));
        Assert.Equal("Skipped 5 training rows whose feature column 'Features' has NaN or infinite values.", skipped);
        Assert.Contains(log, m => m.StartsWith("Held out", StringComparison.Ordinal) && m.Contains("of 295 rows"));
    }

    [Theory]
    [InlineData("sparse")]
    [InlineData("dense")]
    public void The_automatic_validation_fraction_holds_streamed_rows_out_by_row_id_in_memory_and_the_ScikitLearn_preset_dense_ones_not_at_all(string inputName)
    {
        var (ml, log) = Logged();
        var input = FeatureInput.Named(inputName);
        TrainerUnderTest.Multiclass.Pipeline(ml, o => o.DataLoading = MlpDataLoading.Streaming)
            .Fit(input.View(ml, ConformanceRow.Generate(300, 4, 1), 4));
        Assert.Contains("chosen by a hash of their row id, and kept them in memory",
            Assert.Single(log, m => m.StartsWith("Held out", StringComparison.Ordinal)));

        var (ml2, log2) = Logged();
        TrainerUnderTest.Multiclass.Pipeline(ml2, o => (o.DataLoading, o.Preset) = (MlpDataLoading.Streaming, MlpPreset.ScikitLearn))
            .Fit(input.View(ml2, ConformanceRow.Generate(300, 4, 1), 4));
        Assert.Equal(input.TrainsSparse ? 1 : 0, log2.Count(m => m.StartsWith("Held out", StringComparison.Ordinal)));
    }

    // ---- A data source that fails mid-stream ----

    private static MlpRegressionTrainer.Options Resumable(string? checkpoint) => new()
    {
        LabelColumnName = "Target", HiddenLayerSizes = [8], NumberOfEpochs = 8, BatchSize = 16, LearningRate = 0.01f, Tolerance = 0,
        Seed = 7, Optimizer = MlpOptimizer.AdamW, DataLoading = MlpDataLoading.Streaming, ShuffleBufferSize = 32, CheckpointPath = checkpoint,
    };

    [Fact]
    public void A_cursor_failing_in_a_later_epoch_names_the_row_and_keeps_a_checkpoint_that_resumes_to_the_uninterrupted_model()
    {
        var ml = new MLContext(seed: 1);
        var healthy = ConformanceRow.View(ml, ConformanceRow.Generate(300, 4, 1), 4);
        var checkpoint = Path.Combine(_folder, "streamed.ckpt");
        var uninterrupted = ml.Regression.Trainers.Mlp(Resumable(null)).Fit(healthy).Model;

        // The first cursor counts and checks the rows, the next ones are epochs: the sixth fails at its row 150.
        var failing = new FailingDataView(healthy, failingCursor: 6, failingRow: 150);
        var error = Assert.Throws<InvalidOperationException>(() => ml.Regression.Trainers.Mlp(Resumable(checkpoint)).Fit(failing));

        Assert.True(failing.HasFailed);
        Assert.Contains("row 150 of the training data failed: the test source became unreadable at row 150", error.Message);
        Assert.Contains("must stay readable until Fit returns", error.Message);
        Assert.IsType<IOException>(error.InnerException);
        Assert.True(File.Exists(checkpoint), "the checkpoint of an earlier epoch must survive the failure");
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));

        var epochs = new List<int>();
        var options = Resumable(checkpoint);
        options.Progress = new Synchronous<MlpEpochReport>(r => epochs.Add(r.Epoch));
        var resumed = ml.Regression.Trainers.Mlp(options).Fit(healthy).Model;

        Assert.True(epochs[0] > 1, $"the second fit must resume from the checkpoint, but it reported epochs {string.Join(", ", epochs)}");
        Assert.Equal(8, epochs[^1]);
        AssertSameParameters(uninterrupted, resumed);
        Assert.False(File.Exists(checkpoint), "a completed run removes its checkpoint");
    }

    [Fact]
    public void A_streamed_runs_checkpoint_is_refused_by_a_run_with_other_class_weights()
    {
        var ml = new MLContext(seed: 1);
        var data = ConformanceRow.View(ml, ConformanceRow.Generate(300, 4, 1), 4);
        var checkpoint = Path.Combine(_folder, "weighted.ckpt");
        using var cancel = new CancellationTokenSource();
        ITransformer Fit(float[] classWeights, IProgress<MlpEpochReport>? progress = null) => TrainerUnderTest.Multiclass.Pipeline(ml, o =>
        {
            o.DataLoading = MlpDataLoading.Streaming;
            o.NumberOfEpochs = 6;
            o.Seed = 3;
            o.CheckpointPath = checkpoint;
            o.CancellationToken = cancel.Token;
            o.Progress = progress;
            ((MlpClassificationOptionsBase)o).ClassWeights = classWeights;
        }).Fit(data);

        Fit([1, 5, 1], new Synchronous<MlpEpochReport>(r => { if (r.Epoch == 2) cancel.Cancel(); }));
        Assert.True(File.Exists(checkpoint));
        cancel.TryReset();

        var error = Assert.Throws<InvalidOperationException>(() => Fit([1, 1, 1]));
        Assert.True(error.Message.Contains("data=", StringComparison.Ordinal), error.Message);
    }

    private sealed class Synchronous<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    // ---- Auto ----

    [Fact]
    public void Auto_keeps_small_data_in_memory_and_logs_its_size_against_the_budget()
    {
        var (ml, log) = Logged();
        TrainerUnderTest.Binary.Pipeline(ml, o => o.DataLoading = MlpDataLoading.Auto).Fit(ConformanceRow.View(ml, ConformanceRow.Generate(200, 4, 1), 4));

        var line = Assert.Single(log, m => m.StartsWith("DataLoading Auto chose", StringComparison.Ordinal));
        Assert.Matches(@"^DataLoading Auto chose InMemory for the training rows: they take about [\d,]+ MB, within half of the [\d,]+ MB \.NET may use\.$", line);
        Assert.DoesNotContain(log, m => m.StartsWith("Streaming the", StringComparison.Ordinal));
    }

    [Fact]
    public void Auto_counts_the_training_rows_in_memory_against_the_budget_of_a_validation_set()
    {
        var (ml, log) = Logged();
        var trainer = ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options
        {
            LabelColumnName = "Label", HiddenLayerSizes = [8], NumberOfEpochs = 2, BatchSize = 16, Seed = 1, DataLoading = MlpDataLoading.Auto,
        });
        trainer.Fit(ml.Data.LoadFromEnumerable(SyntheticRows.TwoFeaturesOneInformative(200, 1)),
            ml.Data.LoadFromEnumerable(SyntheticRows.TwoFeaturesOneInformative(100, 2)));

        Assert.Contains(log, m => m.StartsWith("DataLoading Auto chose InMemory for the training rows", StringComparison.Ordinal));
        var validation = Assert.Single(log, m => m.StartsWith("DataLoading Auto chose InMemory for the validation rows", StringComparison.Ordinal));
        Assert.Matches(@"within the [\d,]+ MB left of half of the [\d,]+ MB \.NET may use once the training rows are in memory\.$", validation);
    }
}
