using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Training;

/// <summary>Training on sparse rows: the first layer on the non-zeros only, and lazy or dense updates.</summary>
public class SparseTrainingTests
{
    // 40 rows of 30 features at 15% density; row 3 is empty and feature 7 never occurs.
    private static float[] SparseFeatures(int rows = 40, int width = 30, long seed = 21)
    {
        var x = TestData.SparseMatrix(rows, width, 0.15, seed);
        x.AsSpan(3 * width, width).Clear();
        for (var r = 0; r < rows; r++)
            x[r * width + 7] = 0;
        return x;
    }

    private static (TrainingSet Dense, TrainingSet Sparse) BothStorages(float[] x, float[] targets, float[]? weights, int width)
        => (new TrainingSet(x, targets, weights, width), new TrainingSet(SparseRows.FromDense(x, width), targets, weights));

    private static BatchWorkspace Gathered(NetworkLayout layout, TrainingSet data, int[] rows)
    {
        var workspace = new BatchWorkspace(layout, data.RowCount);
        workspace.Gather(data, rows);
        return workspace;
    }

    [Theory]
    [MemberData(nameof(BackpropagationTests.ActivationsAndLosses), MemberType = typeof(BackpropagationTests))]
    public void The_sparse_first_layer_gradient_matches_finite_differences(string activationName, string lossName)
    {
        var activation = Enum.Parse<ActivationKind>(activationName);
        var loss = Enum.Parse<LossKind>(lossName);
        const int rows = 6, width = 9;
        var outputs = loss is LossKind.SoftmaxCrossEntropy or LossKind.MultiLabelLogistic ? 3 : 1;
        var layout = new NetworkLayout(width, [5], outputs, activation);
        var parameters = TestData.Uniform(layout.ParameterCount, -0.8f, 0.8f, 31);
        var x = TestData.SparseMatrix(rows, width, 0.35, 32);
        x.AsSpan(2 * width, width).Clear(); // an empty row
        var targets = loss switch
        {
            LossKind.SoftmaxCrossEntropy => TestData.ClassTargets(rows, 3, 33),
            LossKind.Logistic => [1, 0, 0, 1, 1, 0],
            LossKind.MultiLabelLogistic => TestData.MultiLabelTargets(rows, outputs, 34),
            _ => TestData.Uniform(rows, -1, 1, 34),
        };
        float[] weights = [1f, 0.5f, 2f, 0f, 1.5f, 1f];
        const float l2 = 0.3f, delta = 0.4f;
        var sparse = new TrainingSet(SparseRows.FromDense(x, width), targets, weights, ReferenceNetwork.TargetWidth(loss, outputs));
        var workspace = Gathered(layout, sparse, [0, 1, 2, 3, 4, 5]);

        var value = Backpropagation.LossAndGradient(parameters, workspace, rows, loss, delta, l2, weighted: true);

        ReferenceNetwork.AssertMatchesFiniteDifferences(layout, parameters, x, targets, weights, loss, delta, l2, value, workspace.Gradient);
    }

    [Fact]
    public void A_sparse_batch_gives_the_dense_batch_gradient_after_a_batch_with_other_features()
    {
        const int width = 30;
        var x = SparseFeatures();
        var targets = TestData.ClassTargets(40, 4, 22);
        var (dense, sparse) = BothStorages(x, targets, null, width);
        var layout = new NetworkLayout(width, [6], 4, ActivationKind.Tanh);
        var parameters = TestData.Uniform(layout.ParameterCount, -0.5f, 0.5f, 23);
        var sparseWorkspace = new BatchWorkspace(layout, 10);
        var denseWorkspace = new BatchWorkspace(layout, 10);
        foreach (var batch in new[] { new[] { 0, 1, 2, 3, 4 }, [10, 11, 3, 20, 30, 31, 39], [3], [5, 6] })
        {
            sparseWorkspace.Gather(sparse, batch);
            denseWorkspace.Gather(dense, batch);
            var sparseLoss = Backpropagation.LossAndGradient(parameters, sparseWorkspace, batch.Length, LossKind.SoftmaxCrossEntropy, 1, 0, false);
            var denseLoss = Backpropagation.LossAndGradient(parameters, denseWorkspace, batch.Length, LossKind.SoftmaxCrossEntropy, 1, 0, false);
            Assert.Equal(denseLoss, sparseLoss, 1e-6);
            for (var i = 0; i < layout.ParameterCount; i++)
                Assert.True(Math.Abs(denseWorkspace.Gradient[i] - sparseWorkspace.Gradient[i]) <= 1e-6 + 1e-5 * Math.Abs(denseWorkspace.Gradient[i]),
                    $"batch [{string.Join(",", batch)}], parameter {i}: dense {denseWorkspace.Gradient[i]}, sparse {sparseWorkspace.Gradient[i]}");
        }
    }

    public static TheoryData<string, int> OptimizersAndDepths() => new()
    {
        { nameof(OptimizerKind.Adam), 1 }, { nameof(OptimizerKind.Sgd), 1 }, { nameof(OptimizerKind.RmsProp), 2 },
        { nameof(OptimizerKind.Lbfgs), 1 }, { nameof(OptimizerKind.Adam), 0 },
    };

    [Theory]
    [MemberData(nameof(OptimizersAndDepths))]
    public void Sparse_rows_with_dense_updates_train_the_model_dense_rows_train(string optimizerName, int hiddenLayers)
    {
        const int width = 30;
        var x = SparseFeatures();
        var targets = TestData.ClassTargets(40, 3, 24);
        var weights = TestData.Uniform(40, 0.5f, 1.5f, 25);
        var (dense, sparse) = BothStorages(x, targets, weights, width);
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = Enumerable.Repeat(8, hiddenLayers).ToArray(),
            Loss = LossKind.SoftmaxCrossEntropy,
            OutputCount = 3,
            Optimizer = Enum.Parse<OptimizerKind>(optimizerName),
            LearningRate = 0.01f,
            BatchSize = 7,
            MaxEpochs = 15,
            Tolerance = 0,
            L2 = 0.01f,
            GradientClipNorm = 5,
            Seed = 4,
            SparseUpdate = SparseUpdate.Dense,
        };
        var fromDense = NetworkTrainer.Train(dense, settings).Network.Parameters.ToArray();
        var fromSparse = NetworkTrainer.Train(sparse, settings).Network.Parameters.ToArray();
        for (var i = 0; i < fromDense.Length; i++)
            Assert.True(Math.Abs(fromDense[i] - fromSparse[i]) <= 1e-4 + 1e-4 * Math.Abs(fromDense[i]),
                $"parameter {i}: dense rows {fromDense[i]}, sparse rows {fromSparse[i]}");
    }

    [Fact]
    public void Lazy_updates_leave_the_weights_of_a_feature_that_never_occurs_where_they_started_and_dense_updates_decay_them()
    {
        const int width = 30;
        var x = SparseFeatures();
        var targets = TestData.ClassTargets(40, 3, 26);
        var sparse = new TrainingSet(SparseRows.FromDense(x, width), targets, null);
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [6], Loss = LossKind.SoftmaxCrossEntropy, OutputCount = 3, BatchSize = 8, MaxEpochs = 5,
            Tolerance = 0, L2 = 0.1f, WeightDecay = 0.1f, Seed = 5,
        };
        var layout = new NetworkLayout(width, [6], 3, ActivationKind.Relu);
        var initial = new float[layout.ParameterCount];
        ParameterInitializer.Initialize(layout, initial, new MLNetBackprop.Engine.Randomness.SeededRandom(5));
        var neverUsed = new Range(7 * 6, 8 * 6);

        var lazy = NetworkTrainer.Train(sparse, settings).Network.Parameters.ToArray();
        var dense = NetworkTrainer.Train(sparse, new TrainingSettings
        {
            HiddenLayerSizes = [6], Loss = LossKind.SoftmaxCrossEntropy, OutputCount = 3, BatchSize = 8, MaxEpochs = 5,
            Tolerance = 0, L2 = 0.1f, WeightDecay = 0.1f, Seed = 5, SparseUpdate = SparseUpdate.Dense,
        }).Network.Parameters.ToArray();

        Assert.Equal(initial[neverUsed], lazy[neverUsed]);
        Assert.All(Enumerable.Range(neverUsed.Start.Value, 6), i => Assert.True(Math.Abs(dense[i]) < Math.Abs(initial[i]),
            $"weight {i}: initial {initial[i]}, after dense updates {dense[i]}"));
        // The features that occur were trained under both rules.
        Assert.NotEqual(initial[..(6 * 6)], lazy[..(6 * 6)]);
    }

    [Fact]
    public void Lazy_sparse_training_gives_the_same_bits_on_one_thread_and_on_two()
    {
        const int width = 300; // wide enough for the split first layer and the parallel kernels
        var x = TestData.SparseMatrix(200, width, 0.05, 27);
        var targets = TestData.ClassTargets(200, 5, 28);
        var sparse = new TrainingSet(SparseRows.FromDense(x, width), targets, null);
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [64], Loss = LossKind.SoftmaxCrossEntropy, OutputCount = 5, BatchSize = 100,
            MaxEpochs = 3, Tolerance = 0, Seed = 6, DropoutRates = [0.2f],
        };
        float[] Train(int threads)
        {
            using var scope = new ThreadCountScope(threads);
            KernelThreads.ThreadCount = threads;
            return NetworkTrainer.Train(sparse, settings).Network.Parameters.ToArray();
        }
        Assert.Equal(Train(1), Train(2));
    }

    [Fact]
    public void A_validation_split_of_sparse_rows_holds_out_the_rows_a_dense_split_holds_out()
    {
        const int width = 30;
        var x = SparseFeatures();
        var targets = TestData.ClassTargets(40, 3, 29);
        var (dense, sparse) = BothStorages(x, targets, null, width);
        var (denseTrain, denseValidation) = DataSplit.HoldOut(dense, 0.25f, stratify: true, seed: 7);
        var (sparseTrain, sparseValidation) = DataSplit.HoldOut(sparse, 0.25f, stratify: true, seed: 7);
        Assert.True(sparseTrain.IsSparse && sparseValidation.IsSparse);
        Assert.Equal(denseTrain.Features, sparseTrain.SparseFeatures!.ToDense());
        Assert.Equal(denseValidation.Features, sparseValidation.SparseFeatures!.ToDense());
        Assert.Equal(denseValidation.Targets, sparseValidation.Targets);
    }

    [Theory]
    [InlineData(new[] { 0, 2, 2 }, "repeats feature 2")]
    [InlineData(new[] { 0, 3, 1 }, "lists feature 1 after 3")]
    [InlineData(new[] { 0, 1, 5 }, "has feature index 5 outside 0..4")]
    [InlineData(new[] { -1, 1, 2 }, "has feature index -1 outside 0..4")]
    public void Sparse_rows_with_repeated_unordered_or_out_of_range_indices_are_rejected_naming_the_row(int[] secondRowIndices, string problem)
    {
        var error = Assert.Throws<ArgumentException>(() => new SparseRows(
            [1, 2, 3, 4, 5], [1, 3, .. secondRowIndices], [0, 2, 5], 5));
        Assert.Contains($"Sparse row 1 {problem}", error.Message);
    }

    [Fact]
    public void A_sparse_training_set_with_a_non_finite_value_is_rejected_naming_the_feature_and_row()
    {
        var sparse = new TrainingSet(new SparseRows([1, float.NaN], [0, 4], [0, 1, 2], 5), [0, 1], null);
        var error = Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(sparse, new TrainingSettings { Loss = LossKind.Logistic }));
        Assert.Contains("Feature 4 of row 1 is NaN", error.Message);
    }
}
