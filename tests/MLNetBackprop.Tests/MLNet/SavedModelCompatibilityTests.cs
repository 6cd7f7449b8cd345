using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>
/// Model files written by an earlier release (format 0x00010002, saved before the engine was reorganised) still
/// load: the same parameters bit for bit, the same training history, and they score rows.
/// </summary>
public class SavedModelCompatibilityTests
{
    private static string Fixture(string file) => Path.Combine(BuiltProgram.RepositoryRoot, "tests", "MLNetBackprop.Tests", "Fixtures", file);

    [Fact]
    public void A_binary_model_file_of_format_00010002_loads_with_its_parameters_and_history()
    {
        var ml = new MLContext(seed: 1);
        var model = (TransformerChain<ITransformer>)ml.Model.Load(Fixture("binary-model-v00010002.zip"), out _);
        var mlp = model.OfType<BinaryPredictionTransformer<MlpBinaryModelParameters>>().Single().Model;

        Assert.Equal("0A50053B7F4CC531F67232DF57DDC121", GoldenModelTests.HashOf(mlp.Network.Parameters.ToArray()));
        Assert.Equal(6, mlp.TrainingHistory.Count);
        Assert.Equal(6, mlp.BestEpoch);
        Assert.Equal(0.6479239379113338, mlp.TrainingHistory[0].TrainingLoss);
        Assert.Equal(0.7256637168141593, mlp.TrainingHistory[0].ValidationAccuracy);
        var scored = model.Transform(ShippedData.BreastCancer(ml)).GetColumn<float>("Probability").ToArray();
        Assert.All(scored, p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void A_multiclass_model_file_of_format_00010002_loads_with_its_parameters()
    {
        var ml = new MLContext(seed: 1);
        var model = (TransformerChain<ITransformer>)ml.Model.Load(Fixture("multiclass-model-v00010002.zip"), out _);
        var mlp = model.OfType<MulticlassPredictionTransformer<MlpMulticlassModelParameters>>().Single().Model;

        Assert.Equal("7DB7DE181607B7A05990907AD1FF283D", GoldenModelTests.HashOf(mlp.Network.Parameters.ToArray()));
        Assert.Equal(5, mlp.TrainingHistory.Count);
        var accuracy = ml.MulticlassClassification.Evaluate(model.Transform(ShippedData.Digits(ml))).MicroAccuracy;
        Assert.True(accuracy > 0.3, $"accuracy {accuracy} is near chance (0.1): the loaded weights are not the trained ones");
    }

    [Fact]
    public void A_regression_model_file_of_format_00010002_loads_with_its_parameters_and_history()
    {
        var ml = new MLContext(seed: 1);
        var model = (TransformerChain<ITransformer>)ml.Model.Load(Fixture("regression-model-v00010002.zip"), out _);
        var mlp = model.OfType<RegressionPredictionTransformer<MlpRegressionModelParameters>>().Single().Model;

        Assert.Equal("92FAE29706A447C04E112FDB501F6A17", GoldenModelTests.HashOf(mlp.Network.Parameters.ToArray()));
        Assert.Equal(7, mlp.TrainingHistory.Count);
        Assert.Equal(0.5079709631636654, mlp.TrainingHistory[6].TrainingLoss);
        Assert.Equal(0.001f, mlp.TrainingHistory[6].LearningRate);
        Assert.All(model.Transform(ShippedData.Diabetes(ml)).GetColumn<float>("Score"), s => Assert.True(float.IsFinite(s)));
    }
}
