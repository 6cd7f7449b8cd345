using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Tests.TestSupport;
using VectorRow = MLNetBackprop.Tests.TestSupport.FeatureInput.VectorRow;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>
/// Training on sparse feature columns through ML.NET (TrainingDataReader, NonZeroRows): the kind of VBuffer never
/// changes the model, sparse-trained models score sparse rows as their dense copies and save and load, and the edge
/// cases of sparse vectors (empty rows, slots never seen, bad indices, NaN values) are handled like dense rows' are.
/// </summary>
public class SparseTrainingDataTests
{
    private const int FeatureCount = 4;
    private static readonly FeatureInput Sparse = FeatureInput.Sparse;
    private static readonly int Width = Sparse.Width(FeatureCount);

    // The trained network and its training losses, epoch by epoch, from the fitted pipeline's last transformer.
    private static (Network Network, double[] Losses) Trained(ITransformer fitted)
        => (((IEnumerable<ITransformer>)fitted).Last() as IPredictionTransformer<object>)?.Model switch
        {
            MlpModelParametersBase<float> model => (model.Network, model.TrainingHistory.Select(e => e.TrainingLoss).ToArray()),
            MlpModelParametersBase<VBuffer<float>> model => (model.Network, model.TrainingHistory.Select(e => e.TrainingLoss).ToArray()),
            var other => throw new InvalidOperationException($"Not an MLP model: {other}"),
        };

    private static float[] ParametersOf(ITransformer fitted) => Trained(fitted).Network.Parameters.ToArray();

    private static float[][] Scores(ITransformer model, IDataView data)
    {
        var scored = model.Transform(data);
        var score = scored.Schema["Score"];
        return score.Type is VectorDataViewType
            ? scored.GetColumn<float[]>(score).ToArray()
            : scored.GetColumn<float>(score).Select(s => new[] { s }).ToArray();
    }

    private static VBuffer<float> SparseVector(float[] values, int[] slots) => new(Width, values.Length, values, slots);

    [Theory]
    [InlineData("binary", 8)]
    [InlineData("multiclass", 8)]
    [InlineData("regression", 8)]
    [InlineData("binary", 2)]
    [InlineData("multiclass", 2)]
    [InlineData("regression", 2)]
    public void The_same_rows_as_sparse_or_dense_vectors_train_bit_identical_models(string name, int spread)
    {
        var sparseVectors = FeatureInput.Spreading(spread, sparseVectors: true);
        var rows = ConformanceRow.Generate(90, FeatureCount, seed: 11);
        ITransformer Train(FeatureInput input)
        {
            var (ml, log) = TrainingLog.Context(seed: 3);
            var model = TrainerUnderTest.Named(name).Pipeline(ml).Fit(input.View(ml, rows, FeatureCount));
            input.AssertTrainingStorage(log); // spread 8: sparse rows both times; spread 2: dense rows both times
            return model;
        }

        var fromSparse = Trained(Train(sparseVectors));
        var fromDense = Trained(Train(sparseVectors.AsDenseVectors()));

        Assert.Equal(fromDense.Network.Parameters.ToArray(), fromSparse.Network.Parameters.ToArray());
        Assert.Equal(fromDense.Losses, fromSparse.Losses);
    }

    [Theory]
    [MemberData(nameof(TrainerUnderTest.Names), MemberType = typeof(TrainerUnderTest))]
    public void A_sparse_trained_model_scores_sparse_rows_as_their_dense_copies(string name)
    {
        var ml = new MLContext(seed: 1);
        var rows = ConformanceRow.Generate(60, FeatureCount, seed: 12);
        var sparse = Sparse.View(ml, rows, FeatureCount);
        var model = TrainerUnderTest.Named(name).Pipeline(ml).Fit(sparse);

        var sparseScores = Scores(model, sparse);
        var denseScores = Scores(model, Sparse.AsDenseVectors().View(ml, rows, FeatureCount));

        Assert.All(sparse.GetColumn<VBuffer<float>>("Features"), f => Assert.False(f.IsDense));
        Assert.Equal(denseScores, sparseScores); // bit for bit, stricter than the 1e-5 relative the issue allows
    }

    [Theory]
    [MemberData(nameof(TrainerUnderTest.Names), MemberType = typeof(TrainerUnderTest))]
    public void Rows_without_any_non_zero_train_and_score_like_an_all_zero_dense_row(string name)
    {
        var (ml, log) = TrainingLog.Context();
        var rows = Sparse.Vectors(ConformanceRow.Generate(60, FeatureCount, seed: 13), FeatureCount);
        for (var i = 0; i < rows.Length; i += 4)
            rows[i].Features = new VBuffer<float>(Width, 0, [], []);
        var data = VectorRow.View(ml, rows, Width);

        var model = TrainerUnderTest.Named(name).Pipeline(ml).Fit(data);
        var scores = Scores(model, data);
        var zeroRow = new VectorRow { Features = new VBuffer<float>(Width, new float[Width]) };
        var denseZeroScore = Scores(model, VectorRow.View(ml, [zeroRow], Width))[0];

        Sparse.AssertTrainingStorage(log);
        Assert.Contains(log, m => m.Contains("on 60 sparse rows"));
        Assert.All(scores, s => Assert.All(s, v => Assert.True(float.IsFinite(v))));
        for (var i = 0; i < rows.Length; i += 4)
            Assert.Equal(denseZeroScore, scores[i]);
    }

    [Theory]
    [MemberData(nameof(TrainerUnderTest.Names), MemberType = typeof(TrainerUnderTest))]
    public void A_training_set_of_only_empty_rows_trains_to_one_finite_score(string name)
    {
        var (ml, log) = TrainingLog.Context();
        var rows = Sparse.Vectors(ConformanceRow.Generate(40, FeatureCount, seed: 14), FeatureCount);
        foreach (var row in rows)
            row.Features = new VBuffer<float>(Width, 0, [], []);
        var data = VectorRow.View(ml, rows, Width);

        var scores = Scores(TrainerUnderTest.Named(name).Pipeline(ml).Fit(data), data);

        Assert.Contains(log, m => m.Contains("on 40 sparse rows (0"));
        Assert.All(scores, s => Assert.All(s, v => Assert.True(float.IsFinite(v))));
        Assert.All(scores, s => Assert.Equal(scores[0], s));
    }

    [Fact]
    public void A_slot_never_seen_in_training_is_kept_and_scores_as_its_dense_copy()
    {
        var (ml, log) = TrainingLog.Context();
        var lastSlot = Width - 1; // no training row has a value there (features sit in slots 0, 8, 16, 24)
        var model = TrainerUnderTest.Binary.Pipeline(ml).Fit(Sparse.View(ml, ConformanceRow.Generate(60, FeatureCount, seed: 15), FeatureCount));
        var unseen = new VectorRow { Features = SparseVector([0.5f, 0.9f], [0, lastSlot]) };
        var denseCopy = new float[Width];
        (denseCopy[0], denseCopy[lastSlot]) = (0.5f, 0.9f);

        var sparseScore = Scores(model, VectorRow.View(ml, [unseen], Width))[0];
        var denseScore = Scores(model, VectorRow.View(ml, [new VectorRow { Features = new VBuffer<float>(Width, denseCopy) }], Width))[0];

        Sparse.AssertTrainingStorage(log);
        Assert.Equal(Width, Trained(model).Network.Layout.InputCount);
        Assert.True(float.IsFinite(sparseScore[0]));
        Assert.Equal(denseScore, sparseScore);
    }

    [Theory]
    [InlineData(new[] { 0, 8, 8, 24 }, "slot 8 comes after slot 8")]
    [InlineData(new[] { 0, 16, 8, 24 }, "slot 8 comes after slot 16")]
    public void A_sparse_vector_with_repeated_or_unordered_slots_fails_naming_the_column_and_row(int[] slots, string problem)
    {
        var (ml, log) = TrainingLog.Context();
        var rows = Sparse.Vectors(ConformanceRow.Generate(30, FeatureCount, seed: 16), FeatureCount);
        rows[6].Features = SparseVector([0.1f, 0.2f, 0.3f, 0.4f], slots); // ML.NET's VBuffer takes such indices as given

        var ex = Assert.Throws<InvalidOperationException>(() => TrainerUnderTest.Regression.Pipeline(ml).Fit(VectorRow.View(ml, rows, Width)));

        Assert.Contains("'Features'", ex.Message);
        Assert.Contains("row 7", ex.Message);
        Assert.Contains(problem, ex.Message);
        Assert.DoesNotContain(log, m => m.Contains("Epoch 1:"));
    }

    [Theory]
    [InlineData(new[] { 0, 8, 16, 32 }, 0.4f)]
    [InlineData(new[] { 0, 8, 16, 32 }, 0f)]
    [InlineData(new[] { -1, 8, 16, 24 }, 0.1f)]
    public void A_sparse_vector_with_a_slot_outside_the_vector_fails_naming_the_column_and_row(int[] slots, float firstOrLastValue)
    {
        var (ml, log) = TrainingLog.Context();
        var rows = Sparse.Vectors(ConformanceRow.Generate(30, FeatureCount, seed: 16), FeatureCount);
        var values = slots[0] < 0 ? [firstOrLastValue, 0.2f, 0.3f, 0.4f] : new[] { 0.1f, 0.2f, 0.3f, firstOrLastValue };
        rows[6].Features = SparseVector(values, slots);

        var ex = Assert.Throws<InvalidOperationException>(() => TrainerUnderTest.Regression.Pipeline(ml).Fit(VectorRow.View(ml, rows, Width)));

        Assert.Contains("'Features'", ex.Message);
        Assert.Contains("row 7", ex.Message);
        Assert.Contains("outside", ex.Message);
        Assert.DoesNotContain(log, m => m.Contains("Epoch 1:"));
    }

    [Fact]
    public void Scoring_a_sparse_row_with_unordered_slots_is_refused()
    {
        var ml = new MLContext(seed: 1);
        var rows = Sparse.Vectors(ConformanceRow.Generate(30, FeatureCount, seed: 19), FeatureCount);
        var model = TrainerUnderTest.Regression.Pipeline(ml).Fit(VectorRow.View(ml, rows, Width));
        rows[6].Features = SparseVector([0.1f, 0.2f, 0.3f, 0.4f], [0, 16, 8, 24]);

        // Transform scores on ML.NET's worker threads, which wrap the model's error in their own.
        var ex = Assert.ThrowsAny<Exception>(() => Scores(model, VectorRow.View(ml, rows, Width)));

        Assert.Contains("must be strictly increasing", ex.InnerException?.Message ?? ex.Message);
    }

    [Fact]
    public void Sparse_rows_with_a_nan_or_infinite_value_are_skipped_as_if_they_were_not_there()
    {
        var rows = ConformanceRow.Generate(100, FeatureCount, seed: 17);
        var bad = Sparse.Vectors(rows, FeatureCount);
        // The bad value comes after other non-zeros of its row, so the row's values read so far must be dropped too.
        bad[3].Features = SparseVector([0.3f, 0.2f, float.NaN], [0, 8, 16]);
        bad[40].Features = SparseVector([0.7f, float.PositiveInfinity], [8, 24]);
        var (ml, log) = TrainingLog.Context(seed: 5);
        var withBadRows = TrainerUnderTest.Binary.Pipeline(ml).Fit(VectorRow.View(ml, bad, Width));
        var cleanMl = new MLContext(seed: 5);
        var withoutBadRows = TrainerUnderTest.Binary.Pipeline(cleanMl)
            .Fit(Sparse.View(cleanMl, rows.Where((_, i) => i is not (3 or 40)), FeatureCount));

        Assert.Contains(log, m => m.Contains("Skipped 2 training rows") && m.Contains("'Features'"));
        Assert.Contains(log, m => m.Contains("on 98 sparse rows"));
        Assert.Equal(ParametersOf(withoutBadRows), ParametersOf(withBadRows));
    }

    [Theory]
    [MemberData(nameof(TrainerUnderTest.Names), MemberType = typeof(TrainerUnderTest))]
    public void A_sparse_trained_model_saves_loads_and_scores_sparse_rows_as_before(string name)
    {
        var (ml, log) = TrainingLog.Context();
        var data = Sparse.View(ml, ConformanceRow.Generate(60, FeatureCount, seed: 18), FeatureCount);
        var model = TrainerUnderTest.Named(name).Pipeline(ml).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;

        var loaded = new MLContext(seed: 2).Model.Load(stream, out _);

        Sparse.AssertTrainingStorage(log);
        Assert.Equal(Scores(model, data), Scores(loaded, data));
    }

    [Fact]
    public void An_automatic_validation_split_that_leaves_no_rows_trains_without_one_instead_of_failing()
    {
        // 120 sparse rows in 40 classes of 3: a stratified 10% takes round(0.3) = 0 rows of every class.
        var rows = ConformanceRow.Generate(120, FeatureCount, seed: 21);
        for (var r = 0; r < rows.Length; r++)
            rows[r].Class = r % 40;
        var (ml, log) = TrainingLog.Context();

        var model = TrainerUnderTest.Multiclass.Pipeline(ml, o => o.ValidationFraction = null).Fit(Sparse.View(ml, rows, FeatureCount));

        Assert.Contains(log, m => m.Contains("No validation set (automatic ValidationFraction 0.1)"));
        Assert.Contains(log, m => m.Contains("Epoch 5:"));
        Assert.Equal(120, Scores(model, Sparse.View(ml, rows, FeatureCount)).Length);
        var explicitFraction = Assert.Throws<InvalidOperationException>(() =>
            TrainerUnderTest.Multiclass.Pipeline(ml, o => o.ValidationFraction = 0.1f).Fit(Sparse.View(ml, rows, FeatureCount)));
        Assert.Contains("Option ValidationFraction is 0.1", explicitFraction.Message);
    }
}
