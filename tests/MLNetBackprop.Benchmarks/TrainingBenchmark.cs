using System.Diagnostics;
using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Benchmarks;

/// <summary>Workload W: trains an MLP on Fashion-MNIST and reports speed, accuracy, allocations and memory.</summary>
internal static class TrainingBenchmark
{
    /// <summary>Trains on the data in <paramref name="dataDirectory"/> and prints the report.</summary>
    /// <param name="dataDirectory">The folder holding the Fashion-MNIST files.</param>
    /// <param name="hidden">Hidden layer widths.</param>
    /// <param name="epochs">Epochs to train.</param>
    /// <param name="threads">Kernel threads; 0 alternates 2 and 1 thread epoch by epoch (see <see cref="ReportScaling"/>).</param>
    public static void Run(string dataDirectory, int[] hidden, int epochs, int threads)
    {
        var alternate = threads == 0;
        KernelThreads.ThreadCount = alternate ? 2 : threads;
        var (trainX, trainY) = FashionMnist.Load(dataDirectory, "train");
        var (testX, testY) = FashionMnist.Load(dataDirectory, "t10k");
        var data = new TrainingSet(trainX, trainY, null, FashionMnist.Pixels);
        var settings = new TrainingSettings
        {
            HiddenLayerSizes = hidden,
            Loss = LossKind.SoftmaxCrossEntropy,
            OutputCount = 10,
            Optimizer = OptimizerKind.Adam,
            LearningRate = 1e-3f,
            L2 = 0f,
            BatchSize = 200,
            MaxEpochs = epochs,
            Tolerance = 0f,
            Seed = 1,
        };
        var epochTimes = new List<double>();
        var allocatedAtEpoch = new List<long>();
        var last = TimeSpan.Zero;
        var result = NetworkTrainer.Train(data, settings, report =>
        {
            epochTimes.Add((report.Elapsed - last).TotalSeconds);
            last = report.Elapsed;
            allocatedAtEpoch.Add(GC.GetTotalAllocatedBytes(precise: true));
            if (alternate)
                KernelThreads.ThreadCount = report.Epoch % 2 == 0 ? 2 : 1; // the model does not depend on it
        });
        if (alternate)
        {
            ReportScaling(hidden, epochTimes);
            return;
        }
        var accuracy = Accuracy(result.Network, testX, testY);
        // The first epoch includes JIT and one-time buffers; later epochs show the steady state.
        var steady = epochTimes.Count > 1 ? epochTimes.Skip(1).ToList() : epochTimes;
        var secondsPerEpoch = Median(steady);
        var batches = (trainY.Length + settings.BatchSize - 1) / settings.BatchSize;
        var bytesPerBatch = allocatedAtEpoch.Count > 1
            ? (double)(allocatedAtEpoch[^1] - allocatedAtEpoch[0]) / ((allocatedAtEpoch.Count - 1) * batches) : double.NaN;
        var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
        var dataMb = trainX.Length * 4 / 1048576.0;
        Console.WriteLine(string.Join(' ',
            "RESULT system=mlnetbackprop",
            $"hidden={string.Join('-', hidden)} threads={threads} simd={SimdSelection.Best}",
            $"s_per_epoch={secondsPerEpoch:F4} best_epoch={steady.Min():F4} first_epoch={epochTimes[0]:F4} samples_per_s={trainY.Length / secondsPerEpoch:F0}",
            $"test_accuracy={accuracy:F4} alloc_bytes_per_batch={bytesPerBatch:F1}",
            $"peak_working_set_mb={peakMb:F0} train_data_mb={dataMb:F0} final_loss={result.History[^1].TrainingLoss:F4}"));
    }

    // Odd epochs ran on 2 threads, even ones on 1: two medians from the same run, interleaved second by second, so
    // a busy spell on a shared host slows both alike. The first two epochs (JIT, first touch) are left out. The
    // paired figure is the median over neighbouring pairs (a 2-thread epoch and the 1-thread epoch right after it)
    // of their ratio: a spell that outlasts a pair cancels out of it.
    private static void ReportScaling(int[] hidden, List<double> epochTimes)
    {
        var two = Median(epochTimes.Where((_, i) => i >= 2 && i % 2 == 0).ToList());
        var one = Median(epochTimes.Where((_, i) => i >= 2 && i % 2 == 1).ToList());
        var paired = Median(Enumerable.Range(1, epochTimes.Count / 2 - 1)
            .Select(pair => epochTimes[2 * pair + 1] / epochTimes[2 * pair]).ToList());
        Console.WriteLine($"SCALING hidden={string.Join('-', hidden)} epochs={epochTimes.Count} s_per_epoch_2_threads={two:F4} " +
                          $"s_per_epoch_1_thread={one:F4} speedup={one / two:F2} paired_speedup={paired:F2}");
    }

    public static double Accuracy(Network network, float[] features, float[] targets)
    {
        var outputs = new float[targets.Length * 10];
        network.PredictBatch(features, outputs, targets.Length);
        var correct = 0;
        for (var r = 0; r < targets.Length; r++)
        {
            var best = 0;
            for (var c = 1; c < 10; c++)
                if (outputs[r * 10 + c] > outputs[r * 10 + best])
                    best = c;
            correct += best == (int)targets[r] ? 1 : 0;
        }
        return (double)correct / targets.Length;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
