using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.RowSources;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.MLNet;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>
/// Every public option enum value maps to the engine value of the same name (AdamW, Adam with decoupled weight decay,
/// is the one exception); undefined values are refused.
/// </summary>
public class OptionsMappingTests
{
    [Fact]
    public void Every_public_enum_value_maps_to_the_engine_value_of_its_name()
    {
        AssertSameNames<MlpActivation, ActivationKind>(MlpOptionsMapping.ToEngine);
        AssertSameNames<MlpOptimizer, OptimizerKind>(MlpOptionsMapping.ToEngine, except: MlpOptimizer.AdamW);
        AssertSameNames<MlpLearningRateSchedule, LearningRateScheduleKind>(MlpOptionsMapping.ToEngine);
        AssertSameNames<MlpRegressionLoss, LossKind>(MlpOptionsMapping.ToEngine);
        AssertSameNames<MlpEarlyStoppingMetric, StoppingMetric>(MlpOptionsMapping.ToEngine);
        AssertSameNames<MlpSparseUpdate, SparseUpdate>(MlpOptionsMapping.ToEngine);
    }

    // Four dense rows of three features, and the same shape held sparse with the given width.
    private static InMemoryRowSource DenseRows() => new(new TrainingSet(new float[12], new float[4], null, 3));
    private static InMemoryRowSource SparseRows(int width) => new(new TrainingSet(new SparseRows([1f], [width - 1], [0, 1, 1, 1, 1], width), new float[4], null));

    [Theory]
    [InlineData(1_000, 100)]
    [InlineData(100_000, 80)]
    [InlineData(336_499, 24)]
    [InlineData(4_000_000, 16)]
    public void Sparse_rows_get_a_first_layer_narrowed_to_the_weight_budget_the_faster_rate_and_lazy_updates(int features, int width)
    {
        var mapped = MlpOptionsMapping.ToTrainingSettings(new MlpMulticlassTrainer.Options(), SparseRows(features),
            LossKind.SoftmaxCrossEntropy, outputCount: 3, epochs: 10, seed: 0, huberDelta: 1);
        Assert.Equal([width], mapped.HiddenLayerSizes);
        Assert.Equal(MlpOptionsBase.Defaults.SparseLearningRate, mapped.LearningRate);
        Assert.Equal(SparseUpdate.Lazy, mapped.SparseUpdate);
    }

    [Fact]
    public void Options_a_user_sets_apply_to_sparse_rows_as_they_are()
    {
        var options = new MlpMulticlassTrainer.Options
        {
            HiddenLayerSizes = [100, 50], LearningRate = 0.01f, SparseUpdate = MlpSparseUpdate.Dense,
        };
        var mapped = MlpOptionsMapping.ToTrainingSettings(options, SparseRows(1_000_000), LossKind.SoftmaxCrossEntropy,
            outputCount: 3, epochs: 10, seed: 0, huberDelta: 1);
        Assert.Equal([100, 50], mapped.HiddenLayerSizes);
        Assert.Equal(0.01f, mapped.LearningRate);
        Assert.Equal(SparseUpdate.Dense, mapped.SparseUpdate);
    }

    [Fact]
    public void AdamW_is_Adam_with_the_AdamW_default_weight_decay()
    {
        var options = new MlpBinaryTrainer.Options { Optimizer = MlpOptimizer.AdamW };
        var mapped = MlpOptionsMapping.ToTrainingSettings(options, DenseRows(), LossKind.Logistic, outputCount: 1,
            epochs: TrainingDefaults.Epochs, seed: 0, huberDelta: TrainingDefaults.HuberDelta);

        Assert.Equal(OptimizerKind.Adam, MlpOptionsMapping.ToEngine(MlpOptimizer.AdamW));
        Assert.Equal(OptimizerKind.Adam, mapped.Optimizer);
        Assert.Equal(MlpOptionsBase.Defaults.AdamWWeightDecay, mapped.WeightDecay);
        Assert.Equal(0f, MlpOptionsMapping.ToTrainingSettings(new MlpBinaryTrainer.Options(), DenseRows(), LossKind.Logistic, outputCount: 1,
            epochs: TrainingDefaults.Epochs, seed: 0, huberDelta: TrainingDefaults.HuberDelta).WeightDecay);
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
        Assert.Throws<ArgumentOutOfRangeException>(() => MlpOptionsMapping.ToEngine((MlpSparseUpdate)42));
        Assert.Throws<ArgumentOutOfRangeException>(() => MlpOptionsMapping.ToEngine((MlpInputScaling)42));
    }

    [Fact]
    public void The_default_preset_scales_dense_rows_and_sparse_ones_outside_the_unit_range_and_the_ScikitLearn_preset_none()
    {
        InputScalingKind Mapped(MlpOptionsBase options, IRowSource rows) => MlpOptionsMapping.ToTrainingSettings(options, rows,
            LossKind.Logistic, outputCount: 1, epochs: 1, seed: 0, huberDelta: 1).InputScaling;
        Assert.Equal(InputScalingKind.Robust, Mapped(new MlpBinaryTrainer.Options(), DenseRows()));
        Assert.Equal(InputScalingKind.RobustOutsideUnitRange, Mapped(new MlpBinaryTrainer.Options(), SparseRows(100)));
        Assert.Equal(InputScalingKind.None, Mapped(new MlpBinaryTrainer.Options { Preset = MlpPreset.ScikitLearn }, DenseRows()));
        Assert.Equal(InputScalingKind.Robust, Mapped(new MlpBinaryTrainer.Options { InputScaling = MlpInputScaling.Robust }, SparseRows(100)));
        Assert.Equal(InputScalingKind.None, Mapped(new MlpBinaryTrainer.Options { InputScaling = MlpInputScaling.None }, DenseRows()));
    }

    [Fact]
    public void The_default_preset_encodes_dense_rows_within_the_input_limit_and_sparse_rows_or_the_ScikitLearn_preset_not()
    {
        TrainingSettings Mapped(MlpOptionsBase options, IRowSource rows) => MlpOptionsMapping.ToTrainingSettings(options, rows,
            LossKind.Logistic, outputCount: 1, epochs: 1, seed: 0, huberDelta: 1);
        var automatic = Mapped(new MlpBinaryTrainer.Options(), DenseRows());
        Assert.Equal(MlpOptionsBase.Defaults.NumericEncodingBins, automatic.NumericEncodingBins);
        Assert.Equal(MlpOptionsBase.Defaults.AutomaticNumericEncodingMaxInputs, automatic.NumericEncodingInputLimit);
        Assert.Equal(0, Mapped(new MlpBinaryTrainer.Options(), SparseRows(100)).NumericEncodingBins);
        Assert.Equal(0, Mapped(new MlpBinaryTrainer.Options { Preset = MlpPreset.ScikitLearn }, DenseRows()).NumericEncodingBins);
        Assert.Equal(0, Mapped(new MlpBinaryTrainer.Options { NumericEncoding = MlpNumericEncoding.None }, DenseRows()).NumericEncodingBins);
        var chosen = Mapped(new MlpBinaryTrainer.Options { NumericEncoding = MlpNumericEncoding.PiecewiseLinear, NumericEncodingBins = 5, Preset = MlpPreset.ScikitLearn }, DenseRows());
        Assert.Equal(5, chosen.NumericEncodingBins);
        Assert.Equal(int.MaxValue, chosen.NumericEncodingInputLimit);
    }

    [Fact]
    public void A_piecewise_linear_encoding_asked_for_on_sparse_rows_names_the_option_and_the_fix()
    {
        var options = new MlpBinaryTrainer.Options { NumericEncoding = MlpNumericEncoding.PiecewiseLinear };
        var error = Assert.Throws<ArgumentException>(() => MlpOptionsMapping.ToTrainingSettings(options, SparseRows(100),
            LossKind.Logistic, outputCount: 1, epochs: 1, seed: 0, huberDelta: 1));
        Assert.Equal(nameof(MlpOptionsBase.NumericEncoding), error.ParamName);
        Assert.Contains("needs dense rows", error.Message);
        Assert.Contains("set it to None", error.Message);
    }

    [Fact]
    public void ScikitLearn_preset_options_map_to_the_engine_defaults()
    {
        var mapped = MlpOptionsMapping.ToTrainingSettings(new MlpMulticlassTrainer.Options { Preset = MlpPreset.ScikitLearn }, DenseRows(),
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

    private static void AssertSameNames<TPublic, TEngine>(Func<TPublic, TEngine> map, TPublic? except = null)
        where TPublic : struct, Enum where TEngine : struct, Enum
    {
        foreach (var value in Enum.GetValues<TPublic>())
        {
            var engine = map(value);
            Assert.True(Enum.IsDefined(engine), $"{typeof(TPublic).Name}.{value} maps to {engine}, not a defined {typeof(TEngine).Name}");
            if (!value.Equals(except))
                Assert.True(value.ToString() == engine.ToString(), $"{typeof(TPublic).Name}.{value} maps to {typeof(TEngine).Name}.{engine}");
        }
    }
}
