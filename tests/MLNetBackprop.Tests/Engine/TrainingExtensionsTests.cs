using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine;

/// <summary>
/// Hand-computed single steps of the newer optimizers and of the update pipeline (clipping, decoupled weight decay),
/// and the learning-rate schedules, each asserted to 1e-6.
/// </summary>
public class TrainingExtensionsTests
{
    // A linear model (one input, no hidden layer, one output): parameters [w, b], one row x = 1, target 0, squared
    // error. From w = 0.5, b = 0.2 the output is 0.7, so the gradient is (0.7, 0.7).
    private static readonly TrainingSet OneRow = new([1f], [0f], null, 1);

    private static float[] OneEpochOfTheLinearModel(TrainingSettings settings)
    {
        var result = NetworkTrainer.Train(OneRow, settings, new TrainingRunOptions { InitialParameters = [0.5f, 0.2f] });
        return result.Network.Parameters.ToArray();
    }

    private static TrainingSettings Linear(OptimizerKind optimizer) => new()
    {
        HiddenLayerSizes = [], Loss = LossKind.SquaredError, Optimizer = optimizer, LearningRate = 0.1f, Momentum = 0,
        L2 = 0, BatchSize = 1, MaxEpochs = 1, Tolerance = 0,
    };

    [Fact]
    public void Two_rmsprop_steps_match_the_hand_computation()
    {
        // ρ = 0.9, η = 0.01, ε = 1e-8, p = 1. g = 0.5: s = 0.025, p −= 0.01·0.5/(√0.025 + ε) → 0.9683772254.
        // g = −1: s = 0.9·0.025 + 0.1 = 0.1225, p += 0.01/(0.35 + ε) → 0.9969486532.
        float[] p = [1f];
        var optimizer = new RmsPropOptimizer(1, 0.01f, 0.9f, 1e-8f);
        optimizer.Step(p, [0.5f]);
        Assert.Equal(0.968377225398316, p[0], 1e-6);
        optimizer.Step(p, [-1f]);
        Assert.Equal(0.9969486531534181, p[0], 1e-6);
    }

    [Fact]
    public void Adamw_decays_the_weight_but_not_the_bias_before_the_adam_step()
    {
        // λ = 0.1, η = 0.1: w ← 0.5·(1 − 0.01) = 0.495; then Adam's first step moves both parameters by
        // η·√0.001·0.7/(√0.001·0.7 + 1e-8) = 0.0999999548: w = 0.3950000452, b = 0.1000000452.
        var p = OneEpochOfTheLinearModel(new TrainingSettings
        {
            HiddenLayerSizes = [], Loss = LossKind.SquaredError, Optimizer = OptimizerKind.Adam, LearningRate = 0.1f,
            WeightDecay = 0.1f, L2 = 0, BatchSize = 1, MaxEpochs = 1, Tolerance = 0,
        });
        Assert.Equal(0.39500004517537474, p[0], 1e-6);
        Assert.Equal(0.10000004517537475, p[1], 1e-6);
    }

    [Fact]
    public void A_gradient_above_the_clip_norm_is_scaled_down_to_it()
    {
        // ‖(0.7, 0.7)‖ = 0.98995 > 0.5, so each component becomes 0.7·0.5/0.98995 = 0.35355; SGD with η = 0.1.
        var p = OneEpochOfTheLinearModel(new TrainingSettings
        {
            HiddenLayerSizes = [], Loss = LossKind.SquaredError, Optimizer = OptimizerKind.Sgd, Momentum = 0,
            LearningRate = 0.1f, GradientClipNorm = 0.5f, L2 = 0, BatchSize = 1, MaxEpochs = 1, Tolerance = 0,
        });
        Assert.Equal(0.46464466094067264, p[0], 1e-6);
        Assert.Equal(0.16464466094067262, p[1], 1e-6);
    }

    [Fact]
    public void A_gradient_below_the_clip_norm_is_left_alone()
    {
        float[] g = [0.3f, -0.4f];
        Assert.Equal(0.5, GradientClipping.ClipByGlobalNorm(g, 1f), 1e-7);
        Assert.Equal([0.3f, -0.4f], g);
    }

    [Theory]
    [InlineData(nameof(OptimizerKind.Sgd))]
    [InlineData(nameof(OptimizerKind.RmsProp))]
    [InlineData(nameof(OptimizerKind.Adam))]
    public void The_training_loop_steps_each_optimizer_with_its_own_rule(string kindName)
    {
        var kind = Enum.Parse<OptimizerKind>(kindName);
        var expected = new float[] { 0.5f, 0.2f };
        var optimizer = MiniBatchOptimizer.Create(Linear(kind), 2);
        optimizer.Step(expected, [0.7f, 0.7f]);
        Assert.Equal(expected, OneEpochOfTheLinearModel(Linear(kind)));
    }

    private static float Rate(TrainingSettings s, int epoch) => new LearningRateSchedule(s, higherIsBetter: false).RateFor(epoch);

    [Theory]
    // η = 0.1 everywhere. Inverse scaling, p = 0.5: η/√4 = 0.05 at epoch 4.
    [InlineData(nameof(LearningRateScheduleKind.Constant), 7, 0.1)]
    [InlineData(nameof(LearningRateScheduleKind.InverseScaling), 1, 0.1)]
    [InlineData(nameof(LearningRateScheduleKind.InverseScaling), 4, 0.05)]
    // Step decay, γ = 0.5 every 3 epochs: epochs 1-3 η, 4-6 η/2, 7 η/4.
    [InlineData(nameof(LearningRateScheduleKind.StepDecay), 3, 0.1)]
    [InlineData(nameof(LearningRateScheduleKind.StepDecay), 4, 0.05)]
    [InlineData(nameof(LearningRateScheduleKind.StepDecay), 7, 0.025)]
    // Cosine over 10 epochs from 0.1 to 0.01: epoch 1 η, epoch 6 the midpoint 0.055,
    // epoch 10 0.01 + 0.045·(1 + cos 0.9π) = 0.0122024568.
    [InlineData(nameof(LearningRateScheduleKind.Cosine), 1, 0.1)]
    [InlineData(nameof(LearningRateScheduleKind.Cosine), 6, 0.055)]
    [InlineData(nameof(LearningRateScheduleKind.Cosine), 10, 0.012202456766718092)]
    public void Each_schedule_gives_the_hand_computed_rate(string kindName, int epoch, double expected)
    {
        var kind = Enum.Parse<LearningRateScheduleKind>(kindName);
        var s = new TrainingSettings
        {
            Schedule = kind, LearningRate = 0.1f, InverseScalingPower = 0.5f, DecayFactor = 0.5f, DecayStepEpochs = 3,
            MinimumLearningRate = 0.01f, MaxEpochs = 10,
        };
        Assert.Equal(expected, Rate(s, epoch), 1e-6);
    }

    [Fact]
    public void Warmup_ramps_linearly_then_the_cosine_starts_from_the_full_rate()
    {
        // W = 4, 14 epochs: epochs 1-4 use 0.1·e/5; the cosine then runs over the other 10 epochs, so epoch 5 is its
        // first (0.1) and epoch 10 its sixth (the midpoint 0.055).
        var s = new TrainingSettings
        {
            Schedule = LearningRateScheduleKind.Cosine, LearningRate = 0.1f, MinimumLearningRate = 0.01f, MaxEpochs = 14, WarmupEpochs = 4,
        };
        Assert.Equal(0.02, Rate(s, 1), 1e-6);
        Assert.Equal(0.08, Rate(s, 4), 1e-6);
        Assert.Equal(0.1, Rate(s, 5), 1e-6);
        Assert.Equal(0.055, Rate(s, 10), 1e-6);
    }

    [Fact]
    public void Reduce_on_plateau_multiplies_the_rate_after_the_patience_and_stops_at_the_minimum()
    {
        var schedule = new LearningRateSchedule(new TrainingSettings
        {
            Schedule = LearningRateScheduleKind.ReduceOnPlateau, LearningRate = 0.1f, DecayFactor = 0.5f, PlateauPatience = 2,
            MinimumLearningRate = 0.03f, Tolerance = 0.01f,
        }, higherIsBetter: false);
        // 1.0 (best), 0.995 (better, but by less than the tolerance: stale 1), 0.99 (stale 2: halve to 0.05),
        // 0.5 (improves: stale 0), 0.6, 0.7 (stale 2: 0.025, clamped to 0.03).
        double[] values = [1.0, 0.995, 0.99, 0.5, 0.6, 0.7];
        double[] rates = [0.1, 0.1, 0.05, 0.05, 0.05, 0.03];
        for (var e = 1; e <= values.Length; e++)
        {
            schedule.EndEpoch(e, values[e - 1]);
            Assert.Equal(rates[e - 1], schedule.RateFor(e + 1), 1e-6);
        }
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
}
