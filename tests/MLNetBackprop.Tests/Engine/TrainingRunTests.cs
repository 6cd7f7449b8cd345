using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine;

/// <summary>Validation and early stopping, cancellation, warm start, checkpoints, dropout, L-BFGS and hold-out splits.</summary>
public class TrainingRunTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-checkpoints-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Noisy two-class data: feature 0 decides the class, but 30% of the labels are flipped, so a wide network
    // overfits the 40 training rows and its validation loss turns up after a few epochs.
    private static TrainingSet Noisy(int rows, long seed)
    {
        var x = TestData.Uniform(rows * 2, -1, 1, seed);
        var flip = TestData.Uniform(rows, 0, 1, seed + 1);
        var y = Enumerable.Range(0, rows).Select(r => (x[2 * r] > 0) ^ (flip[r] < 0.3f) ? 1f : 0f).ToArray();
        return new TrainingSet(x, y, null, 2);
    }

    private static TrainingSettings Overfitting(int maxEpochs = 60, float tolerance = 0) => new()
    {
        HiddenLayerSizes = [64], Loss = LossKind.Logistic, LearningRate = 0.03f, L2 = 0, BatchSize = 8,
        MaxEpochs = maxEpochs, Tolerance = tolerance, EpochsWithoutImprovement = 5, Seed = 2,
    };

    private static double LossOf(Network network, TrainingSet set)
    {
        var outputs = new float[set.RowCount];
        network.PredictBatch(set.Features, outputs, set.RowCount);
        return ReferenceNetwork.MeanLoss(LossKind.Logistic, 1, outputs.Select(v => (double)v).ToArray(), set.Targets, null, 1);
    }

    private static int[] Bits(float[] p) => p.Select(BitConverter.SingleToInt32Bits).ToArray();

    [Fact]
    public void With_a_validation_set_the_returned_network_is_the_best_epoch_of_the_history_not_the_last()
    {
        var validation = Noisy(200, 20);
        var result = NetworkTrainer.Train(Noisy(40, 10), Overfitting(), new TrainingRunOptions { Validation = validation });

        var losses = result.History.Select(h => h.ValidationLoss!.Value).ToList();
        var best = losses.IndexOf(losses.Min()) + 1;
        Assert.Equal(best, result.BestEpoch);
        Assert.True(best < result.History.Count, $"the validation loss should turn up before the end (best epoch {best})");
        Assert.Equal(losses[best - 1], LossOf(result.Network, validation), 1e-5);
        Assert.NotEqual(losses[^1], LossOf(result.Network, validation), 1e-5);
        Assert.All(result.History, h => Assert.NotNull(h.ValidationAccuracy));
    }

    [Fact]
    public void Early_stopping_ends_patience_epochs_after_the_last_improvement_by_the_tolerance()
    {
        var result = NetworkTrainer.Train(Noisy(40, 10), Overfitting(maxEpochs: 500, tolerance: 1e-3f),
            new TrainingRunOptions { Validation = Noisy(200, 20) });
        Assert.Equal(StopReason.NoImprovement, result.StopReason);
        Assert.True(result.StoppedByTolerance);
        // Replay the rule on the recorded validation losses: it fires first at the last epoch.
        double best = double.PositiveInfinity;
        var stale = 0;
        for (var i = 0; i < result.History.Count; i++)
        {
            var loss = result.History[i].ValidationLoss!.Value;
            stale = loss > best - 1e-3f ? stale + 1 : 0;
            best = Math.Min(best, loss);
            Assert.Equal(i == result.History.Count - 1, stale >= 5);
        }
    }

    [Fact]
    public void Early_stopping_on_accuracy_keeps_the_epoch_with_the_highest_validation_accuracy()
    {
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [64], Loss = LossKind.Logistic, LearningRate = 0.03f, L2 = 0, BatchSize = 8, MaxEpochs = 40,
            Tolerance = 0, Seed = 2, StoppingMetric = StoppingMetric.Accuracy,
        };
        var result = NetworkTrainer.Train(Noisy(40, 10), settings, new TrainingRunOptions { Validation = Noisy(200, 20) });
        var accuracies = result.History.Select(h => h.ValidationAccuracy!.Value).ToList();
        Assert.Equal(accuracies.IndexOf(accuracies.Max()) + 1, result.BestEpoch);
    }

    [Fact]
    public void A_token_cancelled_after_an_epoch_stops_before_the_next_batch_and_returns_normally()
    {
        using var cancel = new CancellationTokenSource();
        var result = NetworkTrainer.Train(Noisy(40, 10), Overfitting(), new TrainingRunOptions
        {
            Cancellation = cancel.Token,
            OnEpoch = e => { if (e.Epoch == 3) cancel.Cancel(); },
        });
        Assert.Equal(StopReason.Cancelled, result.StopReason);
        Assert.Equal(3, result.History.Count);
    }

    [Fact]
    public void Cancelling_with_a_validation_set_returns_the_best_epoch_so_far()
    {
        using var cancel = new CancellationTokenSource();
        var validation = Noisy(200, 20);
        var result = NetworkTrainer.Train(Noisy(40, 10), Overfitting(), new TrainingRunOptions
        {
            Validation = validation,
            Cancellation = cancel.Token,
            OnEpoch = e => { if (e.Epoch == 25) cancel.Cancel(); },
        });
        var losses = result.History.Select(h => h.ValidationLoss!.Value).ToList();
        Assert.Equal(losses.IndexOf(losses.Min()) + 1, result.BestEpoch);
        Assert.Equal(losses.Min(), LossOf(result.Network, validation), 1e-5);
    }

    [Fact]
    public void An_already_cancelled_token_returns_the_starting_parameters_untouched()
    {
        var start = TestData.Uniform(2 * 64 + 64 + 64 + 1, -0.1f, 0.1f, 5);
        var result = NetworkTrainer.Train(Noisy(40, 10), Overfitting(), new TrainingRunOptions
        {
            InitialParameters = start,
            Cancellation = new CancellationToken(canceled: true),
        });
        Assert.Empty(result.History);
        Assert.Equal(start, result.Network.Parameters.ToArray());
    }

    [Fact]
    public void Warm_start_continues_from_the_given_parameters()
    {
        var data = Noisy(40, 10);
        var first = NetworkTrainer.Train(data, Overfitting(maxEpochs: 20));
        var continued = NetworkTrainer.Train(data, Overfitting(maxEpochs: 1),
            new TrainingRunOptions { InitialParameters = first.Network.Parameters.ToArray() });
        var fresh = NetworkTrainer.Train(data, Overfitting(maxEpochs: 1));
        Assert.True(continued.History[0].TrainingLoss < fresh.History[0].TrainingLoss);
        Assert.InRange(continued.History[0].TrainingLoss, 0, first.History[^1].TrainingLoss * 1.2);
    }

    [Fact]
    public void Warm_start_parameters_of_another_shape_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(Noisy(40, 10), Overfitting(),
            new TrainingRunOptions { InitialParameters = new float[10] }));
        Assert.Equal("InitialParameters", error.ParamName);
    }

    // Everything with state in one run: Adam moments, dropout masks from the generator, reduce-on-plateau, the
    // early-stopping tracker and best weights.
    private static TrainingSettings Stateful(int seed = 4) => new()
    {
        HiddenLayerSizes = [16, 8], Loss = LossKind.Logistic, LearningRate = 0.02f, BatchSize = 8, MaxEpochs = 12,
        Tolerance = 0, Seed = seed, DropoutRates = [0.2f], Schedule = LearningRateScheduleKind.ReduceOnPlateau,
        PlateauPatience = 2, DecayFactor = 0.5f, WeightDecay = 0.01f, GradientClipNorm = 1f,
    };

    [Theory]
    [InlineData(nameof(OptimizerKind.Adam))]
    [InlineData(nameof(OptimizerKind.Sgd))]
    public void Resuming_from_a_checkpoint_gives_the_model_of_an_uninterrupted_run_bit_for_bit(string optimizerName)
    {
        var optimizer = Enum.Parse<OptimizerKind>(optimizerName);
        var data = Noisy(40, 10);
        var validation = Noisy(30, 20);
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [16, 8], Loss = LossKind.Logistic, Optimizer = optimizer, LearningRate = 0.02f, BatchSize = 8,
            MaxEpochs = 12, Tolerance = 0, Seed = 4, DropoutRates = [0.2f], Schedule = LearningRateScheduleKind.ReduceOnPlateau,
            PlateauPatience = 2, DecayFactor = 0.5f, WeightDecay = 0.01f, GradientClipNorm = 1f,
        };
        var uninterrupted = NetworkTrainer.Train(data, settings, new TrainingRunOptions { Validation = validation });

        var path = Path.Combine(_folder, $"run-{optimizer}.ckpt");
        using var cancel = new CancellationTokenSource();
        var interrupted = NetworkTrainer.Train(data, settings, new TrainingRunOptions
        {
            Validation = validation, CheckpointPath = path, CheckpointInterval = 3, Cancellation = cancel.Token,
            OnEpoch = e => { if (e.Epoch == 7) cancel.Cancel(); },
        });
        Assert.Equal(StopReason.Cancelled, interrupted.StopReason);
        Assert.True(File.Exists(path));

        var resumedEpochs = new List<int>();
        var resumed = NetworkTrainer.Train(data, settings, new TrainingRunOptions
        {
            Validation = validation, CheckpointPath = path, CheckpointInterval = 3, OnEpoch = e => resumedEpochs.Add(e.Epoch),
        });
        Assert.Equal(Enumerable.Range(7, 6), resumedEpochs); // the checkpoint of epoch 6
        Assert.Equal(Bits(uninterrupted.Network.Parameters.ToArray()), Bits(resumed.Network.Parameters.ToArray()));
        Assert.Equal(uninterrupted.History.Select(h => h.TrainingLoss), resumed.History.Select(h => h.TrainingLoss));
        Assert.Equal(uninterrupted.History.Select(h => h.ValidationLoss), resumed.History.Select(h => h.ValidationLoss));
        Assert.Equal(uninterrupted.BestEpoch, resumed.BestEpoch);
        Assert.False(File.Exists(path), "a completed run removes its checkpoint");
    }

    [Fact]
    public void Lbfgs_resumes_from_a_checkpoint_bit_for_bit()
    {
        var data = Noisy(40, 10);
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [6], Loss = LossKind.Logistic, Optimizer = OptimizerKind.Lbfgs, MaxEpochs = 15, Tolerance = 0, Seed = 3,
        };
        var uninterrupted = NetworkTrainer.Train(data, settings);
        var path = Path.Combine(_folder, "lbfgs.ckpt");
        using var cancel = new CancellationTokenSource();
        NetworkTrainer.Train(data, settings, new TrainingRunOptions
        {
            CheckpointPath = path, Cancellation = cancel.Token, OnEpoch = e => { if (e.Epoch == 5) cancel.Cancel(); },
        });
        var resumed = NetworkTrainer.Train(data, settings, new TrainingRunOptions { CheckpointPath = path });
        Assert.Equal(Bits(uninterrupted.Network.Parameters.ToArray()), Bits(resumed.Network.Parameters.ToArray()));
    }

    [Fact]
    public void A_checkpoint_of_other_settings_is_refused_naming_the_difference()
    {
        var data = Noisy(40, 10);
        var path = Path.Combine(_folder, "other.ckpt");
        using var cancel = new CancellationTokenSource();
        NetworkTrainer.Train(data, Stateful(), new TrainingRunOptions
        {
            CheckpointPath = path, Cancellation = cancel.Token, OnEpoch = e => { if (e.Epoch == 2) cancel.Cancel(); },
        });
        var error = Assert.Throws<InvalidOperationException>(() =>
            NetworkTrainer.Train(data, Stateful(seed: 5), new TrainingRunOptions { CheckpointPath = path }));
        Assert.Contains("Seed=4", error.Message);
        Assert.Contains("Seed=5", error.Message);
    }

    [Fact]
    public void A_damaged_checkpoint_is_refused_with_a_clear_error()
    {
        var path = Path.Combine(_folder, "damaged.ckpt");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        var error = Assert.Throws<InvalidOperationException>(() =>
            NetworkTrainer.Train(Noisy(40, 10), Stateful(), new TrainingRunOptions { CheckpointPath = path }));
        Assert.Contains("cannot be resumed", error.Message);
    }

    [Fact]
    public void Dropout_gradients_match_finite_differences_for_a_fixed_mask()
    {
        var layout = new NetworkLayout(3, [5, 4], 2, ActivationKind.Tanh);
        var parameters = TestData.Uniform(layout.ParameterCount, -0.8f, 0.8f, 7);
        var workspace = new BatchWorkspace(layout, 4, [0.5f, 0.3f]);
        workspace.Gather(new TrainingSet(TestData.Uniform(12, -1, 1, 8), [0, 1, 1, 0], null, 3), [0, 1, 2, 3]);
        double Loss(float[] p) => Backpropagation.LossAndGradient(p, workspace, 4, LossKind.SoftmaxCrossEntropy, 1f, 0f, false, new SeededRandom(9));
        Loss(parameters);
        var analytic = (float[])workspace.Gradient.Clone();
        Assert.Contains(workspace.Masks[0]!.Take(20), m => m == 0);
        for (var i = 0; i < parameters.Length; i += 3)
        {
            var plus = (float[])parameters.Clone();
            var minus = (float[])parameters.Clone();
            plus[i] += 1e-3f;
            minus[i] -= 1e-3f;
            var numeric = (Loss(plus) - Loss(minus)) / 2e-3;
            Assert.True(Math.Abs(numeric - analytic[i]) < 2e-3, $"parameter {i}: numeric {numeric}, analytic {analytic[i]}");
        }
    }

    [Fact]
    public void Dropout_zeroes_about_the_rate_of_units_and_scales_the_rest()
    {
        var layout = new NetworkLayout(2, [200], 1, ActivationKind.Relu);
        var workspace = new BatchWorkspace(layout, 50, [0.3f]);
        workspace.Gather(new TrainingSet(TestData.Uniform(100, -1, 1, 1), new float[50], null, 2), Enumerable.Range(0, 50).ToArray());
        Backpropagation.Forward(TestData.Uniform(layout.ParameterCount, -1, 1, 2), workspace, 50, new SeededRandom(1));
        var mask = workspace.Masks[0]!;
        Assert.InRange(mask.Count(m => m == 0) / (double)mask.Length, 0.28, 0.32);
        Assert.All(mask.Where(m => m != 0), m => Assert.Equal(1f / 0.7f, m));
    }

    [Fact]
    public void A_zero_dropout_rate_trains_exactly_like_no_dropout()
    {
        var data = Noisy(40, 10);
        var plain = NetworkTrainer.Train(data, Overfitting(maxEpochs: 5));
        var zero = NetworkTrainer.Train(data, new TrainingSettings
        {
            HiddenLayerSizes = [64], Loss = LossKind.Logistic, LearningRate = 0.03f, L2 = 0, BatchSize = 8, MaxEpochs = 5,
            Tolerance = 0, Seed = 2, DropoutRates = [0f],
        });
        Assert.Equal(Bits(plain.Network.Parameters.ToArray()), Bits(zero.Network.Parameters.ToArray()));
    }

    [Fact]
    public void Lbfgs_reaches_the_least_squares_optimum_of_a_linear_model()
    {
        // y = 1.5·x0 − 2·x1 + 0.3·x2 + 0.7 + noise; the optimum is the ordinary least-squares solution, computed here
        // from the normal equations in double.
        const int rows = 80;
        var x = TestData.Uniform(rows * 3, -1, 1, 61);
        var noise = TestData.Uniform(rows, -0.2f, 0.2f, 62);
        var y = Enumerable.Range(0, rows).Select(r => 1.5f * x[3 * r] - 2 * x[3 * r + 1] + 0.3f * x[3 * r + 2] + 0.7f + noise[r]).ToArray();
        var result = NetworkTrainer.Train(new TrainingSet(x, y, null, 3), new TrainingSettings
        {
            HiddenLayerSizes = [], Loss = LossKind.SquaredError, Optimizer = OptimizerKind.Lbfgs, L2 = 0, MaxEpochs = 100, Tolerance = 0,
        });

        var optimum = LeastSquares(x, y, rows, 3);
        var p = result.Network.Parameters.ToArray(); // [w0, w1, w2, b]
        for (var i = 0; i < 4; i++)
            Assert.Equal(optimum[i], p[i], 1e-4);
        Assert.True(result.History.Count < 100, "L-BFGS should converge well before 100 iterations on 4 parameters");
        Assert.Equal(StopReason.Converged, result.StopReason);
    }

    [Fact]
    public void Lbfgs_trains_a_hidden_layer_network_to_a_lower_loss_than_its_start()
    {
        var data = Noisy(40, 10);
        var result = NetworkTrainer.Train(data, new TrainingSettings
        {
            HiddenLayerSizes = [8], HiddenActivation = ActivationKind.Tanh, Loss = LossKind.Logistic, Optimizer = OptimizerKind.Lbfgs,
            MaxEpochs = 50, Tolerance = 0, Seed = 1,
        });
        Assert.True(result.History[^1].TrainingLoss < 0.8 * result.History[0].TrainingLoss);
        Assert.True(result.History.Zip(result.History.Skip(1)).All(p => p.Second.TrainingLoss <= p.First.TrainingLoss),
            "each L-BFGS iteration satisfies the Armijo condition, so the full-batch loss never rises");
    }

    private static double[] LeastSquares(float[] x, float[] y, int rows, int features)
    {
        var n = features + 1;
        var a = new double[n, n + 1];
        for (var r = 0; r < rows; r++)
        {
            var row = new double[n];
            for (var j = 0; j < features; j++)
                row[j] = x[r * features + j];
            row[features] = 1;
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                    a[i, j] += row[i] * row[j];
                a[i, n] += row[i] * y[r];
            }
        }
        for (var c = 0; c < n; c++) // Gauss-Jordan; the normal matrix is well conditioned here
            for (var r = 0; r < n; r++)
            {
                if (r == c)
                    continue;
                var f = a[r, c] / a[c, c];
                for (var k = c; k <= n; k++)
                    a[r, k] -= f * a[c, k];
            }
        return Enumerable.Range(0, n).Select(i => a[i, n] / a[i, i]).ToArray();
    }

    [Fact]
    public void A_stratified_hold_out_keeps_each_class_fraction_and_is_fixed_by_the_seed()
    {
        // 90 rows of class 0 and 10 of class 1.
        var targets = Enumerable.Range(0, 100).Select(r => r < 90 ? 0f : 1f).ToArray();
        var data = new TrainingSet(Enumerable.Range(0, 100).Select(r => (float)r).ToArray(), targets, null, 1);
        var (train, validation) = DataSplit.HoldOut(data, 0.2f, stratify: true, seed: 3);
        Assert.Equal(80, train.RowCount);
        Assert.Equal(18, validation.Targets.Count(t => t == 0));
        Assert.Equal(2, validation.Targets.Count(t => t == 1));
        Assert.Empty(train.Features.Intersect(validation.Features));
        var again = DataSplit.HoldOut(data, 0.2f, stratify: true, seed: 3);
        Assert.Equal(validation.Features, again.Validation.Features);
        Assert.NotEqual(validation.Features, DataSplit.HoldOut(data, 0.2f, stratify: true, seed: 4).Validation.Features);
    }
}
