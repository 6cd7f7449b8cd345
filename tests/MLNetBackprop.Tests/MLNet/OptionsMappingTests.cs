using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.MLNet;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>Every public option enum value maps to a defined engine value; undefined values are refused.</summary>
public class OptionsMappingTests
{
    [Fact]
    public void Every_public_enum_value_maps_to_a_defined_engine_value()
    {
        AssertAllDefined<MlpActivation, ActivationKind>(MlpOptionsMapping.ToEngine);
        AssertAllDefined<MlpOptimizer, OptimizerKind>(MlpOptionsMapping.ToEngine);
        AssertAllDefined<MlpLearningRateSchedule, LearningRateScheduleKind>(MlpOptionsMapping.ToEngine);
        AssertAllDefined<MlpRegressionLoss, LossKind>(MlpOptionsMapping.ToEngine);
        AssertAllDefined<MlpEarlyStoppingMetric, StoppingMetric>(MlpOptionsMapping.ToEngine);
    }

    [Fact]
    public void Undefined_values_are_refused_naming_the_enum()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MlpOptionsMapping.ToEngine((MlpActivation)42));
        Assert.Contains(nameof(MlpActivation), error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => MlpOptionsMapping.ToEngine((MlpOptimizer)42));
        Assert.Throws<ArgumentOutOfRangeException>(() => MlpOptionsMapping.ToEngine((MlpLearningRateSchedule)42));
        Assert.Throws<ArgumentOutOfRangeException>(() => MlpOptionsMapping.ToEngine((MlpRegressionLoss)42));
        Assert.Throws<ArgumentOutOfRangeException>(() => MlpOptionsMapping.ToEngine((MlpEarlyStoppingMetric)42));
    }

    [Fact]
    public void Default_options_map_to_the_engine_defaults()
    {
        var mapped = MlpOptionsMapping.ToTrainingSettings(new MlpMulticlassTrainer.Options(),
            LossKind.SoftmaxCrossEntropy, outputCount: 3, epochs: TrainingDefaults.Epochs, seed: 0,
            huberDelta: TrainingDefaults.HuberDelta);
        var engine = new TrainingSettings { Loss = LossKind.SoftmaxCrossEntropy, OutputCount = 3 };
        foreach (var property in typeof(TrainingSettings).GetProperties())
        {
            var (a, b) = (property.GetValue(mapped), property.GetValue(engine));
            if (a is System.Collections.IEnumerable x && b is System.Collections.IEnumerable y)
                Assert.Equal(y.Cast<object>(), x.Cast<object>());
            else
                Assert.Equal(b, a);
        }
    }

    private static void AssertAllDefined<TPublic, TEngine>(Func<TPublic, TEngine> map)
        where TPublic : struct, Enum where TEngine : struct, Enum
    {
        foreach (var value in Enum.GetValues<TPublic>())
            Assert.True(Enum.IsDefined(map(value)), $"{typeof(TPublic).Name}.{value} maps to {map(value)}, not a defined {typeof(TEngine).Name}");
    }
}
