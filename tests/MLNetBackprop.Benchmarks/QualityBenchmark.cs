using System.Diagnostics;
using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// The training-features quality check (issue 3): Fashion-MNIST with a 784-512-512-10 network, dropout and a
/// cosine learning-rate schedule with warm-up, reporting the test accuracy after each epoch.
/// </summary>
internal static class QualityBenchmark
{
    public static void Run(string dataDirectory, int epochs)
    {
        var (trainX, trainY) = FashionMnist.Load(dataDirectory, "train");
        var (testX, testY) = FashionMnist.Load(dataDirectory, "t10k");
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = [512, 512],
            Loss = LossKind.SoftmaxCrossEntropy,
            OutputCount = 10,
            Optimizer = OptimizerKind.Adam,
            LearningRate = 1e-3f,
            WeightDecay = 1e-4f,
            L2 = 0f,
            DropoutRates = [0.2f],
            Schedule = LearningRateScheduleKind.Cosine,
            WarmupEpochs = 1,
            BatchSize = 128,
            MaxEpochs = epochs,
            Tolerance = 0f,
            Seed = 1,
        };
        var clock = Stopwatch.StartNew();
        var result = NetworkTrainer.Train(new TrainingSet(trainX, trainY, null, FashionMnist.Pixels), settings,
            report => Console.WriteLine($"QUALITY_EPOCH epoch={report.Epoch} loss={report.TrainingLoss:F4} " +
                $"learning_rate={report.LearningRate:G4} elapsed_s={report.Elapsed.TotalSeconds:F1}"));
        var accuracy = TrainingBenchmark.Accuracy(result.Network, testX, testY);
        Console.WriteLine($"QUALITY network=784-512-512-10 dropout=0.2 schedule=cosine warmup=1 optimizer=adamw(1e-3,wd=1e-4) " +
            $"batch=128 epochs={epochs} test_accuracy={accuracy:F4} seconds={clock.Elapsed.TotalSeconds:F0}");
    }
}
