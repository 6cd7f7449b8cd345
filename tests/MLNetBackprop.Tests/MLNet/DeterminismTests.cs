using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>The same seed and data give the same model bit for bit; another seed gives another model.</summary>
public class DeterminismTests
{
    private static float[] TrainAndScore(int contextSeed, int? trainerSeed = null)
    {
        var ml = new MLContext(seed: contextSeed);
        var data = ml.Data.LoadFromEnumerable(SyntheticRows.TwoFeaturesOneInformative(300, seed: 5));
        var model = ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options
        {
            LabelColumnName = "Target", HiddenLayerSizes = [16, 8], NumberOfEpochs = 15, BatchSize = 32, Seed = trainerSeed,
        }).Fit(data);
        return model.Transform(data).GetColumn<float>("Score").ToArray();
    }

    [Fact]
    public void Same_context_seed_gives_bit_identical_scores()
        => Assert.Equal(TrainAndScore(7), TrainAndScore(7));

    [Fact]
    public void Different_context_seed_gives_a_different_model()
        => Assert.NotEqual(TrainAndScore(7), TrainAndScore(8));

    [Fact]
    public void Explicit_trainer_seed_overrides_the_context_seed()
        => Assert.Equal(TrainAndScore(7, trainerSeed: 42), TrainAndScore(8, trainerSeed: 42));
}
