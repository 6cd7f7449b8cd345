using Microsoft.ML;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.MLNet;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>Every option's invalid values are rejected up front, naming the option and its valid range.</summary>
public class OptionsValidationTests
{
    private readonly MLContext _ml = new(seed: 1);

    public static TheoryData<string, Action<MlpOptionsBase>, string> InvalidOptions => new()
    {
        { "LearningRate", o => o.LearningRate = 0, "(0, 10]" },
        { "NumericEncodingBins", o => o.NumericEncodingBins = 1, "2 to 1024" },
        { "NumericEncodingBins", o => o.NumericEncodingBins = 1025, "2 to 1024" },
        { "NumericEncoding", o => o.NumericEncoding = (MlpNumericEncoding)7, "7" },
        { "LearningRate", o => o.LearningRate = float.NaN, "(0, 10]" },
        { "LearningRate", o => o.LearningRate = 11, "(0, 10]" },
        { "LearningRate", o => o.LearningRate = float.PositiveInfinity, "(0, 10]" },
        { "Momentum", o => o.Momentum = 1, "[0, 1)" },
        { "Beta1", o => o.Beta1 = -0.1f, "[0, 1)" },
        { "Beta2", o => o.Beta2 = 1, "[0, 1)" },
        { "Epsilon", o => o.Epsilon = 0, "(0, 1)" },
        { "L2Regularization", o => o.L2Regularization = -1, "[0, 1000]" },
        { "BatchSize", o => o.BatchSize = 0, "at least 1" },
        { "ShuffleBufferSize", o => o.ShuffleBufferSize = 199, "at least BatchSize (200), or null for automatic" },
        { "ShuffleBufferSize", o => { o.BatchSize = 16; o.ShuffleBufferSize = 0; }, "at least BatchSize (16)" },
        { "DataLoading", o => o.DataLoading = (MlpDataLoading)42, "Auto" },
        { "NumberOfEpochs", o => o.NumberOfEpochs = 0, "[1, 1000000], or null for automatic" },
        { "Tolerance", o => o.Tolerance = -1e-3f, "[0, ∞)" },
        { "Tolerance", o => o.Tolerance = float.NaN, "[0, ∞)" },
        { "EpochsWithoutImprovement", o => o.EpochsWithoutImprovement = 0, "at least 1" },
        { "HiddenLayerSizes[1]", o => o.HiddenLayerSizes = [10, 0], "[1, 1048576]" },
        { "Activation", o => o.Activation = (MlpActivation)42, "Relu" },
        { "Optimizer", o => o.Optimizer = (MlpOptimizer)42, "Adam" },
        { "LabelColumnName", o => o.LabelColumnName = "", "name of a column" },
        { "FeatureColumnName", o => o.FeatureColumnName = null!, "name of a column" },
        { "RmsPropDecay", o => o.RmsPropDecay = 1, "[0, 1)" },
        { "WeightDecay", o => o.WeightDecay = -0.1f, "[0, 1]" },
        { "WeightDecay", o => { o.LearningRate = 2; o.WeightDecay = 0.6f; }, "below 1 / LearningRate" },
        { "GradientClipNorm", o => o.GradientClipNorm = float.NaN, "[0, 1000000]" },
        { "DropoutRates[0]", o => o.DropoutRates = [1f], "[0, 1)" },
        { "DropoutRates", o => { o.HiddenLayerSizes = [4, 4, 4]; o.DropoutRates = [0.1f, 0.2f]; }, "0, 1 or 3 rates" },
        { "DropoutRates", o => o.DropoutRates = null!, "probabilities" },
        { "LearningRateSchedule", o => o.LearningRateSchedule = (MlpLearningRateSchedule)42, "Cosine" },
        { "InverseScalingPower", o => o.InverseScalingPower = 11, "[0, 10]" },
        { "LearningRateDecayFactor", o => o.LearningRateDecayFactor = 1, "(0, 1)" },
        { "LearningRateStepEpochs", o => o.LearningRateStepEpochs = 0, "at least 1" },
        { "PlateauPatience", o => o.PlateauPatience = 0, "at least 1" },
        { "MinimumLearningRate", o => o.MinimumLearningRate = 0.5f, "the smaller automatic LearningRate" },
        { "MinimumLearningRate", o => { o.LearningRate = 0.1f; o.MinimumLearningRate = 0.5f; }, "[0, LearningRate]" },
        { "SparseUpdate", o => o.SparseUpdate = (MlpSparseUpdate)7, "Lazy" },
        { "WarmupEpochs", o => o.WarmupEpochs = -1, "[0, 1000000]" },
        { "ValidationFraction", o => o.ValidationFraction = 0.95f, "[0, 0.9]" },
        { "EarlyStoppingMetric", o => o.EarlyStoppingMetric = (MlpEarlyStoppingMetric)42, "Accuracy" },
        { "LbfgsHistorySize", o => o.LbfgsHistorySize = 0, "[1, 1000]" },
        { "CheckpointPath", o => o.CheckpointPath = " ", "a file path" },
        { "CheckpointEveryEpochs", o => o.CheckpointEveryEpochs = 0, "[1, 1000000]" },
        { "DropoutRates", o => { o.Optimizer = MlpOptimizer.Lbfgs; o.DropoutRates = [0.5f]; }, "Lbfgs" },
        { "LearningRateSchedule", o => { o.Optimizer = MlpOptimizer.Lbfgs; o.LearningRateSchedule = MlpLearningRateSchedule.Cosine; }, "Lbfgs" },
        { "GradientClipNorm", o => { o.Optimizer = MlpOptimizer.Lbfgs; o.GradientClipNorm = 1; }, "Lbfgs" },
        { "WeightDecay", o => { o.Optimizer = MlpOptimizer.Lbfgs; o.WeightDecay = 0.1f; }, "Lbfgs" },
        { "GradientShards", o => o.GradientShards = 0, "[1, 1024], or null for one per rank" },
        { "GradientShards", o => { o.Cluster = new TwoRanks(); o.GradientShards = 3; }, "a multiple of the cluster's size (2)" },
        { "GradientShards", o => { o.Cluster = new TwoRanks(); o.DataLoading = MlpDataLoading.Streaming; o.GradientShards = 4; }, "the number of ranks (2) or null when streaming" },
        { "GradientShards", o => { o.DataLoading = MlpDataLoading.Streaming; o.GradientShards = 2; }, "the number of ranks (1) or null when streaming" },
        { "ClusterData", o => o.ClusterData = MlpClusterData.ViewPerRank, "needs a Cluster" },
        { "GradientShards", o => { o.Cluster = new TwoRanks(); o.ClusterData = MlpClusterData.ViewPerRank; o.GradientShards = 4; }, "the cluster's size (2) or null with ClusterData ViewPerRank" },
    };

    // A cluster that only tells its size: the options are refused before any collective call.
    private sealed class TwoRanks : ITrainingCluster
    {
        public int Rank => 0;
        public int Size => 2;
        public void AllReduceSum(Span<float> values) => throw new InvalidOperationException("not started");
        public void AllReduceSum(Span<double> values) => throw new InvalidOperationException("not started");
        public void Broadcast(Span<byte> data, int root) => throw new InvalidOperationException("not started");
        public void Abort(int errorCode, string message) => throw new InvalidOperationException(message);
    }

    [Theory]
    [InlineData(MlpOptimizer.AdamW, null, 0.01f)]
    [InlineData(MlpOptimizer.Adam, null, 0f)]
    [InlineData(MlpOptimizer.Sgd, 0.05f, 0.05f)]
    public void Weight_decay_defaults_to_a_hundredth_for_adamw_only(MlpOptimizer optimizer, float? option, float expected)
        => Assert.Equal(expected, new MlpBinaryTrainer.Options { Optimizer = optimizer, WeightDecay = option }.ResolveWeightDecay());

    [Fact]
    public void Class_weights_are_validated_for_both_classifiers()
    {
        var both = Assert.ThrowsAny<ArgumentException>(() => _ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options
        { ClassWeighting = MlpClassWeighting.Balanced, ClassWeights = [1, 2] }));
        Assert.Contains("ClassWeights", both.Message);
        var negative = Assert.ThrowsAny<ArgumentException>(() => _ml.MulticlassClassification.Trainers.Mlp(new MlpMulticlassTrainer.Options
        { ClassWeights = [1, -2, 1] }));
        Assert.Contains("ClassWeights[1]", negative.Message);
        Assert.Contains("[0, 1000000]", negative.Message);
        var zeros = Assert.ThrowsAny<ArgumentException>(() => _ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options
        { ClassWeights = [0, 0] }));
        Assert.Contains("not all zero", zeros.Message);
    }

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_option_is_rejected_when_the_trainer_is_created(string option, Action<MlpOptionsBase> corrupt, string range)
    {
        foreach (var create in TrainerFactories())
        {
            var ex = Assert.ThrowsAny<ArgumentException>(() => create(corrupt));
            Assert.Contains(option, ex.Message);
            Assert.Contains(range, ex.Message);
        }
    }

    [Fact]
    public void Invalid_huber_delta_is_rejected_for_regression()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() =>
            _ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options { HuberDelta = 0 }));
        Assert.Contains("HuberDelta", ex.Message);
        Assert.Contains("(0, 1000000]", ex.Message);
    }

    [Fact]
    public void Accuracy_as_early_stopping_metric_is_rejected_for_regression_when_the_trainer_is_created()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() =>
            _ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options { EarlyStoppingMetric = MlpEarlyStoppingMetric.Accuracy }));
        Assert.Contains("EarlyStoppingMetric", ex.Message);
        Assert.Contains("Loss for regression", ex.Message);
    }

    [Fact]
    public void Simple_overload_arguments_are_validated_like_options()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => _ml.BinaryClassification.Trainers.Mlp(batchSize: -5));
        Assert.Contains("BatchSize", ex.Message);
        Assert.Contains("-5", ex.Message);
    }

    [Fact]
    public void The_ScikitLearn_preset_takes_scikit_learns_automatic_values_and_leaves_set_options_alone()
    {
        var options = new MlpRegressionTrainer.Options { Preset = MlpPreset.ScikitLearn };
        Assert.Equal(InputScalingKind.None, MlpOptionsMapping.InputScalingFor(options, sparse: false));
        Assert.Equal(0f, options.ResolveValidationFraction(10_000, sparse: false));
        Assert.Equal(0.1f, options.ResolveValidationFraction(10_000, sparse: true));
        Assert.Equal(10, options.ResolveEpochsWithoutImprovement(sparse: false));
        options.InputScaling = MlpInputScaling.Robust;
        options.ValidationFraction = 0.3f;
        options.EpochsWithoutImprovement = 4;
        Assert.Equal(InputScalingKind.Robust, MlpOptionsMapping.InputScalingFor(options, sparse: false));
        Assert.Equal(0.3f, options.ResolveValidationFraction(10_000, sparse: false));
        Assert.Equal(4, options.ResolveEpochsWithoutImprovement(sparse: false));
    }

    [Fact]
    public void Defaults_match_the_documented_values()
    {
        var options = new MlpMulticlassTrainer.Options();
        Assert.Null(options.HiddenLayerSizes);
        Assert.Equal([100], options.ResolveHiddenLayerSizes(784, sparse: false));
        Assert.Equal(MlpActivation.Relu, options.Activation);
        Assert.Equal(MlpOptimizer.Adam, options.Optimizer);
        Assert.Null(options.LearningRate);
        Assert.Equal(1e-3f, options.ResolveLearningRate(sparse: false));
        Assert.Equal(3e-3f, options.ResolveLearningRate(sparse: true));
        Assert.Equal(MlpPreset.Default, options.Preset);
        Assert.Null(options.InputScaling);
        Assert.Equal(InputScalingKind.Robust, MlpOptionsMapping.InputScalingFor(options, sparse: false));
        Assert.Equal(InputScalingKind.RobustOutsideUnitRange, MlpOptionsMapping.InputScalingFor(options, sparse: true));
        Assert.Null(options.ValidationFraction);
        Assert.Equal(0.2f, options.ResolveValidationFraction(10_000, sparse: false));
        Assert.Equal(0.1f, options.ResolveValidationFraction(10_000, sparse: true));
        Assert.Equal(0f, options.ResolveValidationFraction(99, sparse: true));
        Assert.Equal(0f, options.ResolveValidationFraction(99, sparse: false));
        Assert.Null(options.EpochsWithoutImprovement);
        Assert.Equal(20, options.ResolveEpochsWithoutImprovement(sparse: false));
        Assert.Equal(10, options.ResolveEpochsWithoutImprovement(sparse: true));
        Assert.Equal(MlpSparseUpdate.Lazy, options.SparseUpdate);
        Assert.Equal(200, options.BatchSize);
        Assert.Null(options.NumberOfEpochs);
        Assert.Equal(1e-4f, options.L2Regularization);
        Assert.Null(options.Seed);
        Assert.Equal("Label", options.LabelColumnName);
        Assert.Equal("Features", options.FeatureColumnName);
        Assert.Null(options.WeightDecay);
        Assert.Equal(0.9f, options.RmsPropDecay);
        Assert.Equal(0f, options.GradientClipNorm);
        Assert.Empty(options.DropoutRates);
        Assert.Equal(MlpLearningRateSchedule.Constant, options.LearningRateSchedule);
        Assert.Equal(0.5f, options.InverseScalingPower);
        Assert.Equal(0.1f, options.LearningRateDecayFactor);
        Assert.Equal(10, options.LearningRateStepEpochs);
        Assert.Equal(5, options.PlateauPatience);
        Assert.Equal(0f, options.MinimumLearningRate);
        Assert.Equal(0, options.WarmupEpochs);
        Assert.Equal(MlpEarlyStoppingMetric.Loss, options.EarlyStoppingMetric);
        Assert.Equal(10, options.LbfgsHistorySize);
        Assert.Null(options.Progress);
        Assert.False(options.CancellationToken.CanBeCanceled);
        Assert.Null(options.CheckpointPath);
        Assert.Equal(1, options.CheckpointEveryEpochs);
        Assert.Equal(MlpClassWeighting.None, options.ClassWeighting);
        Assert.Null(options.ClassWeights);
    }

    private IEnumerable<Func<Action<MlpOptionsBase>, object>> TrainerFactories()
    {
        yield return corrupt => _ml.BinaryClassification.Trainers.Mlp(Corrupted(new MlpBinaryTrainer.Options(), corrupt));
        yield return corrupt => _ml.MulticlassClassification.Trainers.Mlp(Corrupted(new MlpMulticlassTrainer.Options(), corrupt));
        yield return corrupt => _ml.Regression.Trainers.Mlp(Corrupted(new MlpRegressionTrainer.Options(), corrupt));
    }

    private static T Corrupted<T>(T options, Action<MlpOptionsBase> corrupt) where T : MlpOptionsBase
    {
        corrupt(options);
        return options;
    }
}
