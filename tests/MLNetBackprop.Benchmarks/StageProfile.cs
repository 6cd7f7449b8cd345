using System.Diagnostics;
using MLNetBackprop.Engine;
using MLNetBackprop.Engine.Kernels;

namespace MLNetBackprop.Benchmarks;

/// <summary>Where one mini-batch of workload W spends its time: gather, forward+backward, optimizer step.</summary>
internal static class StageProfile
{
    /// <param name="proposed">Use the proposed engine path: fused forward, parallel gather, vectorized Adam.</param>
    public static void Run(string dataDirectory, int[] hidden, int threads, bool proposed)
    {
        KernelThreads.ThreadCount = threads;
        var (x, y) = FashionMnist.Load(dataDirectory, "train");
        var data = new TrainingSet(x, y, null, FashionMnist.Pixels);
        var layout = new NetworkLayout(FashionMnist.Pixels, hidden, 10, ActivationKind.Relu);
        var parameters = new float[layout.ParameterCount];
        ParameterInitializer.Initialize(layout, parameters, new SeededRandom(1));
        var workspace = new BatchWorkspace(layout, 200);
        var adam = new AdamOptimizer(layout.ParameterCount, 1e-3f, 0.9f, 0.999f, 1e-8f);
        var (m, v) = (new float[layout.ParameterCount], new float[layout.ParameterCount]);
        var order = Enumerable.Range(0, y.Length).ToArray();
        new Random(1).Shuffle(order);
        double gather = 0, forward = 0, backward = 0, step = 0;
        const int batches = 300;
        for (var pass = 0; pass < 2; pass++)
        {
            gather = forward = backward = step = 0;
            for (var batch = 0; batch < batches; batch++)
            {
                var t0 = Stopwatch.GetTimestamp();
                if (proposed)
                    RowGather.Copy(x, FashionMnist.Pixels, order.AsSpan(batch * 200, 200), workspace.Inputs);
                else
                    workspace.Gather(data, order.AsSpan(batch * 200, 200));
                var t1 = Stopwatch.GetTimestamp();
                if (proposed)
                    ProposedForward(parameters, workspace, layout);
                else
                    Backpropagation.Forward(parameters, workspace, 200);
                var t2 = Stopwatch.GetTimestamp();
                Backpropagation.LossAndGradient(parameters, workspace, 200, LossKind.SoftmaxCrossEntropy, 1f, 0f, false);
                var t3 = Stopwatch.GetTimestamp();
                if (proposed)
                {
                    // The step size with Adam's bias correction, as AdamOptimizer computes it.
                    var t = pass * batches + batch + 1;
                    var rate = (float)(1e-3f * Math.Sqrt(1 - Math.Pow(0.999f, t)) / (1 - Math.Pow(0.9f, t)));
                    AdamUpdate.Step(parameters, workspace.Gradient, m, v, rate, 0.9f, 0.999f, 1e-8f);
                }
                else
                    adam.Step(parameters, workspace.Gradient);
                var t4 = Stopwatch.GetTimestamp();
                gather += t1 - t0;
                forward += t2 - t1;
                backward += t3 - t2 - (t2 - t1); // LossAndGradient repeats the forward pass
                step += t4 - t3;
            }
        }
        double Ms(double ticks) => ticks * 1000.0 / Stopwatch.Frequency / batches;
        Console.WriteLine($"PROFILE engine={(proposed ? "proposed" : "current")} hidden={string.Join('-', hidden)} threads={threads} per_batch_ms: gather={Ms(gather):F3} " +
                          $"forward={Ms(forward):F3} loss+backward={Ms(backward):F3} adam={Ms(step):F3}");
    }

    // The forward pass with the proposed Backpropagation change: one fused product per hidden layer.
    private static void ProposedForward(float[] parameters, BatchWorkspace workspace, NetworkLayout layout)
    {
        ReadOnlySpan<float> input = workspace.Inputs;
        for (var l = 0; l < layout.LayerCount; l++)
        {
            var size = 200 * layout.Widths[l + 1];
            if (l < layout.LayerCount - 1)
                DenseLayer.ForwardActivated(layout, parameters, l, input, workspace.PreActivations[l].AsSpan(0, size),
                    workspace.Activations[l].AsSpan(0, size), 200);
            else
                DenseLayer.Forward(layout, parameters, l, input, workspace.PreActivations[l].AsSpan(0, size), 200);
            input = workspace.Activations[l];
        }
    }
}
