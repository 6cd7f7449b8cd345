using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.Randomness;
using MLNetBackprop.Engine.RowSources;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;
using static MLNetBackprop.Tests.TestSupport.TrainingRuns;

namespace MLNetBackprop.Tests.Engine.RowSources;

/// <summary>
/// Training on rows streamed pass after pass: through a buffer holding every row it gives the in-memory model bit for
/// bit; through a smaller buffer it mixes the rows within the buffer, reproducibly, and learns as well; a stream that
/// changes or fails between passes stops the run with its error, and cancelling closes the stream's pass.
/// </summary>
public class StreamedRowSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-streamed-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Sparse rows at 5% density, classed by whether their first half outweighs their second, with example weights.
    private static TrainingSet SparseLearnable(int rows = 150, int width = 120)
    {
        var x = TestData.SparseMatrix(rows, width, 0.05, 12);
        var y = Enumerable.Range(0, rows).Select(r =>
        {
            var row = x.AsSpan(r * width, width);
            float first = 0, second = 0;
            for (var j = 0; j < width / 2; j++)
                (first, second) = (first + row[j], second + row[width / 2 + j]);
            return first > second ? 1f : 0f;
        }).ToArray();
        var set = new TrainingSet(SparseRows.FromDense(x, width), y, TestData.Uniform(rows, 0.5f, 1.5f, 13));
        Assert.True(set.SparseFeatures!.Density < 0.1);
        return set;
    }

    private static TrainingSet Data(string storage) => storage switch
    {
        "dense" => Learnable(150),
        "sparse" => SparseLearnable(),
        _ => throw new ArgumentException(storage, nameof(storage)),
    };

    // Adam mini-batches with dropout, clipping and weight decay: an update that draws from the run's generator and
    // reads every row of its batch.
    private static TrainingSettings MiniBatches(int seed = 3, int epochs = 6, bool shuffle = true, int batchSize = 24,
        float dropout = 0.2f, int[]? hidden = null) => new()
        {
            HiddenLayerSizes = hidden ?? [16, 8], Loss = LossKind.Logistic, LearningRate = 0.01f, BatchSize = batchSize,
            MaxEpochs = epochs, Tolerance = 0, Seed = seed, Shuffle = shuffle, DropoutRates = dropout > 0 ? [dropout] : [],
            GradientClipNorm = 5, WeightDecay = 0.01f,
        };

    private static TrainingResult Train(IRowSource data, TrainingSettings settings, TrainingRunOptions? run = null)
        => NetworkTrainer.Train(data, settings, run ?? new TrainingRunOptions());

    private static int[] ParameterBits(TrainingResult result) => Bits(result.Network.Parameters.ToArray());

    [Theory]
    [InlineData("dense", 150, false)]
    [InlineData("dense", 150, true)]
    [InlineData("sparse", 1000, false)]
    public void A_stream_through_a_buffer_holding_every_row_trains_the_in_memory_model_bit_for_bit(string storage, int bufferRows,
        bool streamCanShuffle)
    {
        var data = Data(storage);
        var stream = new TrainingSetStream(data) { CanShuffle = streamCanShuffle };
        var settings = MiniBatches();

        var inMemory = NetworkTrainer.Train(data, settings);
        var streamed = Train(stream.Source(bufferRows), settings);

        Assert.Equal(ParameterBits(inMemory), ParameterBits(streamed));
        Assert.Equal(inMemory.History.Select(h => h.TrainingLoss), streamed.History.Select(h => h.TrainingLoss));
        // One read of the stream per epoch, in the stream's own order (the run's order shuffles the buffer).
        Assert.Equal(settings.MaxEpochs, stream.PassesOpened);
        Assert.All(stream.OpenedSeeds, seed => Assert.Null(seed));
        Assert.Equal(0, stream.OpenReaders);
    }

    [Fact]
    public void Without_shuffling_a_stream_trains_the_in_memory_model_bit_for_bit_whatever_its_buffer()
    {
        var data = Learnable(150);
        var stream = new TrainingSetStream(data) { CanShuffle = true };
        var settings = MiniBatches(shuffle: false);

        var inMemory = NetworkTrainer.Train(data, settings);
        var streamed = Train(stream.Source(150 / 8), settings);

        Assert.Equal(ParameterBits(inMemory), ParameterBits(streamed));
        Assert.All(stream.OpenedSeeds, seed => Assert.Null(seed));
    }

    [Fact]
    public void Lbfgs_over_a_stream_trains_the_in_memory_model_bit_for_bit()
    {
        // More rows than L-BFGS takes at once (1024), so each pass over the stream is several chunks.
        var data = Learnable(2100);
        var stream = new TrainingSetStream(data);
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [8], Loss = LossKind.Logistic, Optimizer = OptimizerKind.Lbfgs, L2 = 1e-3f, MaxEpochs = 8,
            Tolerance = 0, Seed = 5,
        };

        var inMemory = NetworkTrainer.Train(data, settings);
        var streamed = Train(stream.Source(64), settings);

        Assert.Equal(ParameterBits(inMemory), ParameterBits(streamed));
        Assert.Equal(inMemory.History.Select(h => h.TrainingLoss), streamed.History.Select(h => h.TrainingLoss));
        Assert.True(stream.PassesOpened >= settings.MaxEpochs, $"{stream.PassesOpened} passes for {settings.MaxEpochs} iterations");
        Assert.Equal(0, stream.OpenReaders);
    }

    [Fact]
    public void A_streamed_validation_set_makes_early_stopping_pick_the_epoch_and_parameters_the_in_memory_one_picks()
    {
        var train = Noisy(40, 10);
        var validation = Noisy(200, 20);
        var settings = Overfitting(maxEpochs: 500, tolerance: 1e-3f);
        var validationStream = new TrainingSetStream(validation);

        var inMemory = NetworkTrainer.Train(train, settings, new TrainingRunOptions { Validation = new InMemoryRowSource(validation) });
        var streamed = Train(new TrainingSetStream(train).Source(40), settings,
            new TrainingRunOptions { Validation = validationStream.Source(shuffleBufferRows: 1) });

        Assert.Equal(StopReason.NoImprovement, inMemory.StopReason);
        Assert.True(inMemory.BestEpoch < inMemory.History.Count, $"best epoch {inMemory.BestEpoch} of {inMemory.History.Count}");
        Assert.Equal(inMemory.StopReason, streamed.StopReason);
        Assert.Equal(inMemory.BestEpoch, streamed.BestEpoch);
        Assert.Equal(inMemory.History.Select(h => h.ValidationLoss), streamed.History.Select(h => h.ValidationLoss));
        Assert.Equal(inMemory.History.Select(h => h.ValidationAccuracy), streamed.History.Select(h => h.ValidationAccuracy));
        Assert.Equal(ParameterBits(inMemory), ParameterBits(streamed));
        Assert.Equal(streamed.History.Count, validationStream.PassesOpened);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Through_a_buffer_holding_every_row_an_epoch_gives_the_batches_of_rows_in_memory(bool sparse)
    {
        var set = NumberedRows.Create(50, 4, sparse);
        var streamed = new TrainingSetStream(set).Source(50);
        var inMemory = new InMemoryRowSource(set);
        var workspace = NumberedRows.Workspace(set, 8);
        var (streamedOrder, inMemoryOrder) = (Enumerable.Range(0, 50).ToArray(), Enumerable.Range(0, 50).ToArray());
        var (streamedRandom, inMemoryRandom) = (new SeededRandom(8), new SeededRandom(8));
        Assert.Equal(50, streamed.OrderLength);

        for (var epoch = 0; epoch < 3; epoch++)
        {
            List<int[]> fromStream, fromMemory;
            using (var pass = streamed.StartEpoch(workspace, streamedOrder, streamedRandom, shuffle: true))
                fromStream = NumberedRows.Batches(pass, workspace, set);
            using (var pass = inMemory.StartEpoch(workspace, inMemoryOrder, inMemoryRandom, shuffle: true))
                fromMemory = NumberedRows.Batches(pass, workspace, set);
            Assert.Equal(fromMemory, fromStream);
            Assert.Equal(inMemoryOrder, streamedOrder);
        }
        Assert.NotEqual(Enumerable.Range(0, 50), streamedOrder);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Through_a_partial_buffer_an_epoch_gives_every_row_once_each_drawn_from_the_rows_read_so_far(bool sparse)
    {
        const int rows = 100, buffer = 16, capacity = 7;
        var set = NumberedRows.Create(rows, 5, sparse);
        var source = new TrainingSetStream(set).Source(buffer);
        var workspace = NumberedRows.Workspace(set, capacity);
        var random = new SeededRandom(4);
        Assert.Equal(0, source.OrderLength);

        List<int> Epoch()
        {
            using var pass = source.StartEpoch(workspace, [], random, shuffle: true);
            var batches = NumberedRows.Batches(pass, workspace, set);
            Assert.Equal(Enumerable.Repeat(capacity, rows / capacity).Append(rows % capacity), batches.Select(b => b.Length));
            // Before a batch the buffer has read its own size and one row for each row emitted since.
            var emitted = 0;
            foreach (var batch in batches)
            {
                Assert.All(batch, row => Assert.True(row < buffer + emitted, $"row {row} emitted after only {buffer + emitted} were read"));
                emitted += batch.Length;
            }
            return [.. batches.SelectMany(b => b)];
        }

        var first = Epoch();
        var second = Epoch();

        Assert.Equal(Enumerable.Range(0, rows), first.Order());
        Assert.Equal(Enumerable.Range(0, rows), second.Order());
        Assert.NotEqual(Enumerable.Range(0, rows), first);
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Through_a_partial_buffer_the_same_seed_gives_the_same_model_and_another_seed_another(bool streamCanShuffle)
    {
        var data = Learnable(400);
        TrainingResult Run(int seed, out IReadOnlyList<int?> seeds)
        {
            var stream = new TrainingSetStream(data) { CanShuffle = streamCanShuffle };
            var result = Train(stream.Source(400 / 8), MiniBatches(seed: seed, epochs: 4));
            seeds = stream.OpenedSeeds;
            return result;
        }

        var first = Run(3, out var firstSeeds);
        var again = Run(3, out var againSeeds);
        var other = Run(4, out _);

        Assert.Equal(ParameterBits(first), ParameterBits(again));
        Assert.NotEqual(ParameterBits(first), ParameterBits(other));
        // A stream that can shuffle is asked to, each epoch with another seed from the run's generator.
        Assert.Equal(firstSeeds, againSeeds);
        if (streamCanShuffle)
            Assert.Equal(4, firstSeeds.Distinct().Count(seed => seed is not null));
        else
            Assert.All(firstSeeds, seed => Assert.Null(seed));
    }

    [Fact]
    public void Through_a_partial_buffer_one_kernel_thread_and_two_give_the_same_bits()
    {
        // Wide rows in large batches, so that the gather and the products split across threads.
        var data = Learnable(1024, width: 256);
        var settings = MiniBatches(epochs: 2, batchSize: 256, hidden: [32]);
        float[] Run(int threads)
        {
            using var scope = new ThreadCountScope(threads);
            return Train(new TrainingSetStream(data).Source(1024 / 8), settings).Network.Parameters.ToArray();
        }
        Assert.Equal(Bits(Run(1)), Bits(Run(2)));
    }

    [Fact]
    public void Through_a_partial_buffer_the_model_learns_as_well_as_in_memory()
    {
        var data = Learnable(1024);
        var settings = MiniBatches(epochs: 12, batchSize: 32, dropout: 0, hidden: [16]);

        var inMemory = NetworkTrainer.Train(data, settings);
        var streamed = Train(new TrainingSetStream(data).Source(1024 / 8), settings);

        var (inMemoryLoss, streamedLoss) = (LossOf(inMemory.Network, data), LossOf(streamed.Network, data));
        Assert.True(inMemoryLoss < 0.3 * inMemory.History[0].TrainingLoss, $"the problem is learnable: loss {inMemoryLoss}");
        Assert.NotEqual(ParameterBits(inMemory), ParameterBits(streamed)); // another order of batches
        Assert.Equal(inMemoryLoss, streamedLoss, 0.01);
        Assert.Equal(inMemory.History[^1].TrainingLoss, streamed.History[^1].TrainingLoss, 0.01);
    }

    [Theory]
    [InlineData("whole buffer", 91, "gave 91 rows, but the first pass gave 96")]
    [InlineData("whole buffer", 400, "or more rows, but the first pass gave 96")]
    [InlineData("partial buffer", 91, "gave 91 rows, but the first pass gave 96")]
    [InlineData("partial buffer", 400, "or more rows, but the first pass gave 96")]
    [InlineData("in order", 91, "gave 91 rows, but the first pass gave 96")]
    [InlineData("in order", 400, "or more rows, but the first pass gave 96")]
    [InlineData("validation", 91, "gave 91 rows, but the first pass gave 96")]
    [InlineData("validation", 400, "or more rows, but the first pass gave 96")]
    public void A_pass_that_gives_another_number_of_rows_fails_saying_the_passes_differ(string reading, int rowsOnThirdPass, string message)
    {
        // Far more rows than the passes hold at once, so a pass that failed without closing would leave the reader open.
        var stream = new TrainingSetStream(Learnable(96)) { ChangeRowsOnPass = 3, ChangedRowCount = rowsOnThirdPass };
        var source = stream.Source(reading == "whole buffer" ? 96 : 12);
        var epochs = new List<int>();
        var run = new TrainingRunOptions { OnEpoch = e => epochs.Add(e.Epoch), Validation = reading == "validation" ? source : null };

        var error = Assert.Throws<InvalidOperationException>(() => Train(reading == "validation" ? new InMemoryRowSource(Learnable(96)) : source,
            MiniBatches(shuffle: reading != "in order"), run));

        Assert.Contains(message, error.Message);
        Assert.Equal([1, 2], epochs);
        Assert.Equal(0, stream.OpenReaders);
    }

    [Theory]
    [InlineData("whole buffer", nameof(IOException))]
    [InlineData("partial buffer", nameof(InvalidOperationException))]
    public void A_readers_failure_mid_epoch_surfaces_from_Train_unchanged_and_the_last_checkpoint_still_resumes(string buffer,
        string failureType)
    {
        var data = Learnable(120);
        var bufferRows = buffer == "whole buffer" ? 120 : 15;
        var settings = MiniBatches(epochs: 6);
        var uninterrupted = Train(new TrainingSetStream(data).Source(bufferRows), settings);
        Exception failure = failureType == nameof(IOException)
            ? new IOException("The share went away.") : new InvalidOperationException("Row 50 is damaged.");
        var failing = new TrainingSetStream(data) { FailOnPass = 4, FailAfterRows = 50, Failure = failure };
        var path = Path.Combine(_folder, "streamed.ckpt");
        var epochs = new List<int>();

        var thrown = Assert.ThrowsAny<Exception>(() => Train(failing.Source(bufferRows), settings,
            new TrainingRunOptions { CheckpointPath = path, OnEpoch = e => epochs.Add(e.Epoch) }));

        Assert.Same(failure, thrown); // its type and message as the stream threw it
        Assert.Equal([1, 2, 3], epochs);
        Assert.Equal(0, failing.OpenReaders);
        Assert.True(File.Exists(path), "the checkpoint of epoch 3 is kept");

        var resumedEpochs = new List<int>();
        var resumed = Train(new TrainingSetStream(data).Source(bufferRows), settings,
            new TrainingRunOptions { CheckpointPath = path, OnEpoch = e => resumedEpochs.Add(e.Epoch) });
        Assert.Equal([4, 5, 6], resumedEpochs);
        Assert.Equal(ParameterBits(uninterrupted), ParameterBits(resumed));
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData(15, 30)]
    [InlineData(120, 15)]
    [InlineData(15, 120)]
    public void A_checkpoint_is_refused_by_a_run_that_mixes_its_rows_through_another_buffer(int savedBuffer, int resumedBuffer)
    {
        var data = Learnable(120);
        var path = Path.Combine(_folder, "buffer.ckpt");
        using var cancel = new CancellationTokenSource();
        Train(new TrainingSetStream(data).Source(savedBuffer), MiniBatches(epochs: 6),
            new TrainingRunOptions { CheckpointPath = path, Cancellation = cancel.Token, OnEpoch = e => { if (e.Epoch == 2) cancel.Cancel(); } });
        Assert.True(File.Exists(path));

        var error = Assert.Throws<InvalidOperationException>(() =>
            Train(new TrainingSetStream(data).Source(resumedBuffer), MiniBatches(epochs: 6), new TrainingRunOptions { CheckpointPath = path }));

        Assert.Contains("mixing=", error.Message);
    }

    [Theory]
    [InlineData("an eighth of the rows")]
    [InlineData("every row")]
    public void Cancelling_mid_stream_returns_Cancelled_stops_reading_part_way_and_closes_the_streams_pass(string buffer)
    {
        const int rows = 4096;
        using var cancel = new CancellationTokenSource();
        var stream = new TrainingSetStream(Learnable(rows))
        {
            BeforeRow = (pass, row) =>
            {
                if (pass == 2 && row == 700)
                    cancel.Cancel();
            },
        };

        // A buffer of every row fills before its first batch: the fill, too, stops within a batch of the signal.
        var result = Train(stream.Source(buffer == "every row" ? rows : rows / 8), MiniBatches(epochs: 5, batchSize: 32),
            new TrainingRunOptions { Cancellation = cancel.Token });

        Assert.Equal(StopReason.Cancelled, result.StopReason);
        Assert.Single(result.History);
        Assert.Equal(2, stream.PassesOpened);
        Assert.InRange(stream.RowsReadInPass(2), 701, rows / 2);
        Assert.Equal(0, stream.OpenReaders);
    }
}
