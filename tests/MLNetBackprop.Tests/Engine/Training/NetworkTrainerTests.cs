using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Training;

public class NetworkTrainerTests
{
    private static readonly TrainingSet Xor = new([0, 0, 0, 1, 1, 0, 1, 1], [0, 1, 1, 0], null, 2);

    // Three well separated 2-D blobs, 20 rows each.
    private static TrainingSet Blobs()
    {
        var noise = TestData.Uniform(120, -0.5f, 0.5f, 31);
        float[][] centres = [[-2, 0], [2, 0], [0, 2.5f]];
        var features = new float[120];
        var targets = new float[60];
        for (var r = 0; r < 60; r++)
        {
            targets[r] = r % 3;
            features[2 * r] = centres[r % 3][0] + noise[2 * r];
            features[2 * r + 1] = centres[r % 3][1] + noise[2 * r + 1];
        }
        return new TrainingSet(features, targets, null, 2);
    }

    private static TrainingSettings Small(int seed = 1) => new()
    {
        HiddenLayerSizes = [8],
        HiddenActivation = ActivationKind.Tanh,
        Loss = LossKind.SoftmaxCrossEntropy,
        OutputCount = 3,
        LearningRate = 0.01f,
        BatchSize = 16,
        MaxEpochs = 30,
        Tolerance = 0,
        Seed = seed,
    };

    private static float[] Predict(Network network, float[] features, int rows)
    {
        var outputs = new float[rows * network.Layout.OutputCount];
        network.PredictBatch(features, outputs, rows);
        return outputs;
    }

    [Fact]
    public void Learns_xor()
    {
        var result = NetworkTrainer.Train(Xor, new TrainingSettings
        {
            HiddenLayerSizes = [8],
            HiddenActivation = ActivationKind.Tanh,
            Loss = LossKind.Logistic,
            LearningRate = 0.05f,
            L2 = 0,
            BatchSize = 4,
            MaxEpochs = 500,
            Tolerance = 0,
            Seed = 3,
        });
        var logits = Predict(result.Network, Xor.Features!, 4);
        for (var r = 0; r < 4; r++)
            Assert.True(Xor.Targets[r] == 1 ? logits[r] > 2 : logits[r] < -2, $"row {r}: logit {logits[r]}");
        Assert.True(result.History[^1].TrainingLoss < 0.1 * result.History[0].TrainingLoss);
    }

    [Theory]
    [InlineData(nameof(ActivationKind.Relu), nameof(OptimizerKind.Adam))]
    [InlineData(nameof(ActivationKind.Gelu), nameof(OptimizerKind.Sgd))]
    public void Separates_three_blobs(string activationName, string optimizerName)
    {
        var activation = Enum.Parse<ActivationKind>(activationName);
        var optimizer = Enum.Parse<OptimizerKind>(optimizerName);
        var data = Blobs();
        var result = NetworkTrainer.Train(data, new TrainingSettings
        {
            HiddenLayerSizes = [10],
            HiddenActivation = activation,
            Loss = LossKind.SoftmaxCrossEntropy,
            OutputCount = 3,
            Optimizer = optimizer,
            LearningRate = optimizer == OptimizerKind.Adam ? 0.02f : 0.05f,
            BatchSize = 10,
            MaxEpochs = 60,
            Seed = 5,
        });
        var logits = Predict(result.Network, data.Features!, 60);
        for (var r = 0; r < 60; r++)
        {
            var row = logits.AsSpan(3 * r, 3);
            Assert.Equal((int)data.Targets[r], row.IndexOf(row.ToArray().Max()));
        }
    }

    [Fact]
    public void A_linear_model_recovers_regression_coefficients()
    {
        // y = 2·x0 − x1 + 0.5, no hidden layer, plain SGD.
        var x = TestData.Uniform(200, -1, 1, 41);
        var y = Enumerable.Range(0, 100).Select(r => 2 * x[2 * r] - x[2 * r + 1] + 0.5f).ToArray();
        var result = NetworkTrainer.Train(new TrainingSet(x, y, null, 2), new TrainingSettings
        {
            HiddenLayerSizes = [],
            Loss = LossKind.SquaredError,
            Optimizer = OptimizerKind.Sgd,
            LearningRate = 0.1f,
            Momentum = 0.9f,
            L2 = 0,
            BatchSize = 20,
            MaxEpochs = 100,
            Tolerance = 0,
        });
        var p = result.Network.Parameters.ToArray();
        Assert.Equal(2f, p[0], 1e-3f);
        Assert.Equal(-1f, p[1], 1e-3f);
        Assert.Equal(0.5f, p[2], 1e-3f);
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_parameters_and_another_seed_differs()
    {
        var data = Blobs();
        var first = NetworkTrainer.Train(data, Small(seed: 1));
        var again = NetworkTrainer.Train(data, Small(seed: 1));
        var other = NetworkTrainer.Train(data, Small(seed: 2));
        static int[] Bits(float[] p) => p.Select(BitConverter.SingleToInt32Bits).ToArray();
        Assert.Equal(Bits(first.Network.Parameters.ToArray()), Bits(again.Network.Parameters.ToArray()));
        Assert.Equal(first.History.Select(h => h.TrainingLoss), again.History.Select(h => h.TrainingLoss));
        Assert.NotEqual(Bits(first.Network.Parameters.ToArray()), Bits(other.Network.Parameters.ToArray()));
    }

    [Fact]
    public void Shuffling_changes_the_batches_and_so_the_result()
    {
        var data = Blobs();
        var shuffled = NetworkTrainer.Train(data, Small());
        var ordered = NetworkTrainer.Train(data, new TrainingSettings
        {
            HiddenLayerSizes = [8], HiddenActivation = ActivationKind.Tanh, Loss = LossKind.SoftmaxCrossEntropy,
            OutputCount = 3, LearningRate = 0.01f, BatchSize = 16, MaxEpochs = 30, Tolerance = 0, Seed = 1, Shuffle = false,
        });
        Assert.NotEqual(shuffled.Network.Parameters.ToArray(), ordered.Network.Parameters.ToArray());
    }

    [Fact]
    public void Reports_every_epoch_once_in_order()
    {
        var reports = new List<EpochReport>();
        var result = NetworkTrainer.Train(Blobs(), Small(), reports.Add);
        Assert.Equal(Enumerable.Range(1, 30), reports.Select(r => r.Epoch));
        Assert.Equal(result.History, reports);
        Assert.False(result.StoppedByTolerance);
        Assert.True(reports[^1].TrainingLoss < reports[0].TrainingLoss);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.Second.Elapsed >= p.First.Elapsed));
    }

    [Fact]
    public void The_history_records_the_scheduled_rate_of_every_epoch()
    {
        var x = TestData.Uniform(40, -1, 1, 3);
        var y = TestData.Uniform(20, -1, 1, 4);
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [4], Schedule = LearningRateScheduleKind.StepDecay, LearningRate = 0.01f, DecayFactor = 0.5f,
            DecayStepEpochs = 2, MaxEpochs = 6, Tolerance = 0,
        };
        var result = NetworkTrainer.Train(new TrainingSet(x, y, null, 2), settings);
        Assert.Equal([0.01f, 0.01f, 0.005f, 0.005f, 0.0025f, 0.0025f], result.History.Select(h => h.LearningRate));
        Assert.All(result.History, h => Assert.True(h.SamplesPerSecond > 0));
    }

    [Fact]
    public void The_epoch_loss_weights_each_batch_by_its_rows_including_the_short_last_batch()
    {
        // 10 rows in batches of 4, 4 and 2. With a negligible step the parameters stay put, so the epoch loss must be
        // the plain mean loss over all rows; averaging the three batch means equally would weight the last two rows
        // double.
        var x = TestData.Uniform(20, -1, 1, 81);
        var y = TestData.Uniform(10, -3, 3, 82);
        var result = NetworkTrainer.Train(new TrainingSet(x, y, null, 2), new TrainingSettings
        {
            HiddenLayerSizes = [5], HiddenActivation = ActivationKind.Tanh, LearningRate = 1e-30f, L2 = 0,
            BatchSize = 4, MaxEpochs = 1, Seed = 4,
        });
        var network = result.Network;
        var outputs = ReferenceNetwork.Forward(network.Layout, network.Parameters.ToArray().Select(v => (double)v).ToArray(), x, 10, out _);
        var expected = ReferenceNetwork.MeanLoss(LossKind.SquaredError, 1, outputs, y, null, 1);
        Assert.Equal(expected, result.History[0].TrainingLoss, 1e-6 * expected);
    }

    [Fact]
    public void Huge_features_and_learning_rate_throw_diverged_with_advice_to_normalize()
    {
        var x = TestData.Uniform(40, -1, 1, 51).Select(v => v * 1e30f).ToArray();
        var y = TestData.Uniform(20, -1, 1, 52);
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [4], Optimizer = OptimizerKind.Sgd, LearningRate = 10f, BatchSize = 5, MaxEpochs = 5,
        };
        var error = Assert.Throws<TrainingDivergedException>(() => NetworkTrainer.Train(new TrainingSet(x, y, null, 2), settings));
        Assert.StartsWith("Training diverged at epoch 1 (", error.Message);
        Assert.Contains("Normalize the features", error.Message);
        Assert.Contains("learning rate (currently 10)", error.Message);
    }

    [Fact]
    public void Stops_once_the_loss_fails_to_improve_by_the_tolerance_for_the_patience()
    {
        // A tolerance larger than any loss makes every epoch after the first (which improves on "no loss yet") a
        // non-improvement: stop after 1 + 3 epochs.
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [8], HiddenActivation = ActivationKind.Tanh, Loss = LossKind.SoftmaxCrossEntropy,
            OutputCount = 3, BatchSize = 16, MaxEpochs = 50, Tolerance = 1000, EpochsWithoutImprovement = 3,
        };
        var result = NetworkTrainer.Train(Blobs(), settings);
        Assert.Equal(4, result.History.Count);
        Assert.True(result.StoppedByTolerance);
    }

    [Fact]
    public void The_tolerance_rule_follows_the_best_loss_as_scikit_learn_does()
    {
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [8], HiddenActivation = ActivationKind.Tanh, Loss = LossKind.SoftmaxCrossEntropy,
            OutputCount = 3, LearningRate = 0.05f, BatchSize = 60, MaxEpochs = 2000, Tolerance = 1e-3f,
            EpochsWithoutImprovement = 5,
        };
        var result = NetworkTrainer.Train(Blobs(), settings);
        Assert.True(result.StoppedByTolerance);
        Assert.InRange(result.History.Count, 6, 1999);

        // Replay the rule over the reported losses: it must first fire exactly at the last epoch.
        double best = double.PositiveInfinity;
        var stale = 0;
        for (var i = 0; i < result.History.Count; i++)
        {
            var loss = result.History[i].TrainingLoss;
            stale = loss > best - 1e-3f ? stale + 1 : 0;
            best = Math.Min(best, loss);
            Assert.Equal(i == result.History.Count - 1, stale >= 5);
        }
    }

    [Fact]
    public void Zero_tolerance_runs_every_epoch()
    {
        var result = NetworkTrainer.Train(Blobs(), new TrainingSettings
        {
            HiddenLayerSizes = [3], Loss = LossKind.SoftmaxCrossEntropy, OutputCount = 3, MaxEpochs = 7,
            Tolerance = 0, EpochsWithoutImprovement = 1, LearningRate = 1e-9f,
        });
        Assert.Equal(7, result.History.Count);
        Assert.False(result.StoppedByTolerance);
    }

    [Fact]
    public void Batches_whose_weights_are_all_zero_are_skipped()
    {
        // Rows 0-1 weigh nothing and form the first batch (no shuffling), so training must equal training on rows
        // 2-3 alone: same initialisation, same updates.
        float[] x = [0.1f, 0.9f, -0.4f, 0.3f, 0.7f, -0.2f, -0.6f, 0.5f];
        float[] y = [0.3f, -0.7f, 0.2f, 0.9f];
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [3], Optimizer = OptimizerKind.Sgd, LearningRate = 0.1f, BatchSize = 2, MaxEpochs = 3,
            Shuffle = false, Tolerance = 0, Seed = 9,
        };
        var weighted = NetworkTrainer.Train(new TrainingSet(x, y, [0, 0, 1, 1], 2), settings);
        var subset = NetworkTrainer.Train(new TrainingSet(x[4..], y[2..], null, 2), settings);
        Assert.Equal(subset.Network.Parameters.ToArray(), weighted.Network.Parameters.ToArray());
        Assert.Equal(subset.History.Select(h => h.TrainingLoss), weighted.History.Select(h => h.TrainingLoss));
    }

    // Option ranges are checked by the ML.NET bridge (OptionsValidationTests); the engine checks what its kernels rely on.
    private static readonly (string Setting, Func<TrainingSettings, TrainingSettings> Spoil)[] Spoilers =
    [
        ("BatchSize", s => Copy(s, batchSize: 0)),
        ("MaxEpochs", s => Copy(s, maxEpochs: 0)),
        ("OutputCount", s => Copy(s, outputCount: 0)),
        ("HiddenLayerSizes", s => Copy(s, hidden: [4, 0])),
        ("HiddenActivation", s => Copy(s, activation: (ActivationKind)42)),
        ("DropoutRates", s => Copy(s, dropout: [0.1f, 0.2f])),
        ("DropoutRates", s => Copy(s, dropout: [1f])),
        ("DropoutRates", s => Copy(s, dropout: [1.5f])),
        ("DropoutRates", s => Copy(s, dropout: [float.NaN])),
        ("DropoutRates", s => Copy(s, dropout: [-0.1f])),
    ];

    // The theory gets an index: a delegate over internal engine types cannot appear in a public test signature.
    public static TheoryData<string, int> BadSettings()
    {
        var data = new TheoryData<string, int>();
        for (var i = 0; i < Spoilers.Length; i++)
            data.Add(Spoilers[i].Setting, i);
        return data;
    }

    private static TrainingSettings Copy(TrainingSettings s, int? batchSize = null, int? maxEpochs = null,
        int? outputCount = null, int[]? hidden = null, ActivationKind? activation = null, float[]? dropout = null) => new()
        {
            HiddenLayerSizes = hidden ?? s.HiddenLayerSizes,
            HiddenActivation = activation ?? s.HiddenActivation,
            Loss = s.Loss,
            OutputCount = outputCount ?? s.OutputCount,
            BatchSize = batchSize ?? s.BatchSize,
            MaxEpochs = maxEpochs ?? s.MaxEpochs,
            DropoutRates = dropout ?? s.DropoutRates,
        };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Nonsense_settings_throw_argument_exceptions_naming_the_setting(string setting, int spoiler)
    {
        var spoil = Spoilers[spoiler].Spoil;
        var valid = new TrainingSettings { HiddenLayerSizes = [4], Loss = LossKind.SoftmaxCrossEntropy, OutputCount = 3, MaxEpochs = 1 };
        NetworkTrainer.Train(Blobs(), valid); // the unspoiled settings are fine
        var error = Assert.ThrowsAny<ArgumentException>(() => NetworkTrainer.Train(Blobs(), spoil(valid)));
        Assert.Equal(setting, error.ParamName);
        Assert.Contains(setting, error.Message);
    }

    [Theory]
    [InlineData(nameof(LossKind.SoftmaxCrossEntropy), 3, 3f)]
    [InlineData(nameof(LossKind.SoftmaxCrossEntropy), 3, -1f)]
    [InlineData(nameof(LossKind.SoftmaxCrossEntropy), 3, 1.5f)]
    [InlineData(nameof(LossKind.Logistic), 1, 2f)]
    [InlineData(nameof(LossKind.SquaredError), 1, float.NaN)]
    public void Targets_the_loss_cannot_use_are_rejected(string lossName, int outputs, float badTarget)
    {
        var loss = Enum.Parse<LossKind>(lossName);
        var data = new TrainingSet([1, 2, 3, 4], [0, badTarget], null, 2);
        var error = Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(data, new TrainingSettings { Loss = loss, OutputCount = outputs }));
        Assert.Contains("row 1", error.Message);
    }

    [Fact]
    public void Several_outputs_are_rejected_for_single_target_losses()
    {
        var error = Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(Xor, new TrainingSettings { Loss = LossKind.Logistic, OutputCount = 2 }));
        Assert.Equal("OutputCount", error.ParamName);
    }

    [Fact]
    public void Non_finite_features_and_all_zero_weights_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(new TrainingSet([1, float.NaN], [0], null, 2), new TrainingSettings()));
        Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(new TrainingSet([1, 2, 3, 4], [0, 1], [0, 0], 2), new TrainingSettings()));
        Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(new TrainingSet([1, 2, 3, 4], [0, 1], [1, -1], 2), new TrainingSettings()));
    }
}
