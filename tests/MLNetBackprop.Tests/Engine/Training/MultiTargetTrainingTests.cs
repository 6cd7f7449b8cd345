using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.RowSources;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Training;

public class MultiTargetTrainingTests
{
    private static TrainingSettings Settings(LossKind loss, int outputs, int epochs = 8) => new()
    {
        HiddenLayerSizes = [16], Loss = loss, OutputCount = outputs, LearningRate = 0.03f, L2 = 0, BatchSize = 8,
        MaxEpochs = epochs, Tolerance = 0, Seed = 2,
    };

    [Fact]
    public void One_label_of_weight_one_trains_the_same_network_as_the_logistic_loss()
    {
        var rows = TrainingRuns.Learnable(60);
        var twoWide = new TrainingSet(rows.Features!, [.. rows.Targets.SelectMany(y => new[] { y, 1f })], rows.Weights,
            rows.FeatureCount, targetWidth: 2);
        var validation = new InMemoryRowSource(twoWide);

        var logistic = NetworkTrainer.Train(rows, Settings(LossKind.Logistic, 1),
            new TrainingRunOptions { Validation = new InMemoryRowSource(rows) });
        var labels = NetworkTrainer.Train(twoWide, Settings(LossKind.MultiLabelLogistic, 1),
            new TrainingRunOptions { Validation = validation });

        Assert.Equal(logistic.Network.Parameters.ToArray(), labels.Network.Parameters.ToArray());
        Assert.Equal(logistic.History.Select(e => e.ValidationAccuracy), labels.History.Select(e => e.ValidationAccuracy));
    }

    [Fact]
    public void Two_regression_targets_train_two_outputs_that_each_fit_their_target()
    {
        var x = TestData.Uniform(200 * 2, -1, 1, 41);
        var targets = new float[200 * 2];
        for (var r = 0; r < 200; r++)
        {
            targets[2 * r] = x[2 * r] + x[2 * r + 1];
            targets[2 * r + 1] = r % 7 == 0 ? float.NaN : x[2 * r] - x[2 * r + 1]; // some masked out
        }
        var data = new TrainingSet(x, targets, null, 2, targetWidth: 2);
        var result = NetworkTrainer.Train(data, Settings(LossKind.SquaredError, 2, epochs: 60));

        var outputs = new float[200 * 2];
        result.Network.PredictBatch(x, outputs, 200);
        for (var j = 0; j < 2; j++)
        {
            var errors = Enumerable.Range(0, 200).Where(r => !float.IsNaN(targets[2 * r + j]))
                .Select(r => Math.Abs(outputs[2 * r + j] - targets[2 * r + j])).ToArray();
            Assert.True(errors.Average() < 0.1, $"target {j}: mean absolute error {errors.Average()}");
        }
    }

    [Fact]
    public void Rows_of_the_wrong_target_width_are_refused_with_the_widths()
    {
        var data = new TrainingSet(new float[8], new float[4], null, 2, targetWidth: 1);
        var error = Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(data, Settings(LossKind.SquaredError, 2)));
        Assert.Contains("1 targets each", error.Message);
        Assert.Contains("takes 2", error.Message);
    }
}
