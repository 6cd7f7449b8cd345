using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Tests.Engine.Optimizers;

/// <summary>The learning-rate schedules, warm-up and reduce-on-plateau, each asserted against a hand computation to 1e-6.</summary>
public class LearningRateScheduleTests
{
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
}
