using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>Every option's invalid values are rejected up front, naming the option and its valid range.</summary>
public class OptionsValidationTests
{
    readonly MLContext _ml = new(seed: 1);

    public static TheoryData<string, Action<MlpOptionsBase>, string> InvalidOptions => new()
    {
        { "LearningRate", o => o.LearningRate = 0, "(0, 10]" },
        { "LearningRate", o => o.LearningRate = float.NaN, "(0, 10]" },
        { "LearningRate", o => o.LearningRate = 11, "(0, 10]" },
        { "Momentum", o => o.Momentum = 1, "[0, 1)" },
        { "Beta1", o => o.Beta1 = -0.1f, "[0, 1)" },
        { "Beta2", o => o.Beta2 = 1, "[0, 1)" },
        { "Epsilon", o => o.Epsilon = 0, "(0, 1)" },
        { "L2Regularization", o => o.L2Regularization = -1, "[0, 1000]" },
        { "BatchSize", o => o.BatchSize = 0, "at least 1" },
        { "NumberOfEpochs", o => o.NumberOfEpochs = 0, "[1, 1000000], or null for automatic" },
        { "Tolerance", o => o.Tolerance = -1e-3f, "[0, ∞)" },
        { "EpochsWithoutImprovement", o => o.EpochsWithoutImprovement = 0, "at least 1" },
        { "HiddenLayerSizes[1]", o => o.HiddenLayerSizes = [10, 0], "[1, 1048576]" },
        { "HiddenLayerSizes", o => o.HiddenLayerSizes = null!, "layer widths" },
        { "Activation", o => o.Activation = (MlpActivation)42, "Relu" },
        { "Optimizer", o => o.Optimizer = (MlpOptimizer)42, "Adam" },
        { "LabelColumnName", o => o.LabelColumnName = "", "name of a column" },
        { "FeatureColumnName", o => o.FeatureColumnName = null!, "name of a column" },
    };

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
    public void Simple_overload_arguments_are_validated_like_options()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => _ml.BinaryClassification.Trainers.Mlp(batchSize: -5));
        Assert.Contains("BatchSize", ex.Message);
        Assert.Contains("-5", ex.Message);
    }

    [Fact]
    public void Defaults_match_the_documented_values()
    {
        var options = new MlpMulticlassTrainer.Options();
        Assert.Equal([100], options.HiddenLayerSizes);
        Assert.Equal(MlpActivation.Relu, options.Activation);
        Assert.Equal(MlpOptimizer.Adam, options.Optimizer);
        Assert.Equal(1e-3f, options.LearningRate);
        Assert.Equal(200, options.BatchSize);
        Assert.Null(options.NumberOfEpochs);
        Assert.Equal(1e-4f, options.L2Regularization);
        Assert.Null(options.Seed);
        Assert.Equal("Label", options.LabelColumnName);
        Assert.Equal("Features", options.FeatureColumnName);
    }

    IEnumerable<Func<Action<MlpOptionsBase>, object>> TrainerFactories()
    {
        yield return corrupt => _ml.BinaryClassification.Trainers.Mlp(Corrupted(new MlpBinaryTrainer.Options(), corrupt));
        yield return corrupt => _ml.MulticlassClassification.Trainers.Mlp(Corrupted(new MlpMulticlassTrainer.Options(), corrupt));
        yield return corrupt => _ml.Regression.Trainers.Mlp(Corrupted(new MlpRegressionTrainer.Options(), corrupt));
    }

    static T Corrupted<T>(T options, Action<MlpOptionsBase> corrupt) where T : MlpOptionsBase
    {
        corrupt(options);
        return options;
    }
}
