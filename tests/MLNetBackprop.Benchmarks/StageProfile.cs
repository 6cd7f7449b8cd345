using System.Diagnostics;
using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.Randomness;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// Where one mini-batch of workload W spends its time, stage by stage: the gather, the forward pass, the whole
/// loss-and-gradient call, the products inside it timed on their own, and the Adam step. Each stage's figure is the
/// best of several passes over 300 batches, so a busy moment on a shared host does not inflate one stage.
/// </summary>
internal static class StageProfile
{
    private const int Rows = 200;
    private const int Batches = 300;
    private const int Passes = 5;

    public static void Run(string dataDirectory, int[] hidden, int threads)
    {
        KernelThreads.ThreadCount = threads;
        var (x, y) = FashionMnist.Load(dataDirectory, "train");
        var data = new TrainingSet(x, y, null, FashionMnist.Pixels);
        var layout = new NetworkLayout(FashionMnist.Pixels, hidden, 10, ActivationKind.Relu);
        var parameters = new float[layout.ParameterCount];
        ParameterInitializer.Initialize(layout, parameters, new SeededRandom(1));
        var workspace = new BatchWorkspace(layout, Rows);
        var adam = new AdamOptimizer(layout.ParameterCount, 1e-3f, 0.9f, 0.999f, 1e-8f);
        var order = Enumerable.Range(0, y.Length).ToArray();
        new Random(1).Shuffle(order);
        var stages = new Dictionary<string, double>();
        var top = layout.LayerCount - 1;
        for (var pass = 0; pass < Passes; pass++)
        {
            var times = new Dictionary<string, long>();
            void Time(string stage, Action action)
            {
                var start = Stopwatch.GetTimestamp();
                action();
                times[stage] = times.GetValueOrDefault(stage) + Stopwatch.GetTimestamp() - start;
            }
            for (var batch = 0; batch < Batches; batch++)
            {
                var rows = order.AsSpan(batch * Rows, Rows).ToArray();
                Time("gather", () => workspace.Gather(data, rows));
                Time("forward", () => Backpropagation.Forward(parameters, workspace, Rows));
                Time("loss+gradient", () => Backpropagation.LossAndGradient(parameters, workspace, Rows, LossKind.SoftmaxCrossEntropy, 1f, 0f, false));
                // The backward products again, on their own (the buffers hold the batch's real values).
                Time("top input grad", () => MatrixMultiply.MultiplyTransposedB(workspace.PreActivationGradient(top).AsSpan(0, Rows * 10),
                    parameters.AsSpan(layout.WeightOffsets[top], layout.Widths[top] * 10), workspace.PreActivationGradient(top - 1), Rows, 10, layout.Widths[top]));
                for (var l = top; l >= 0; l--)
                {
                    var (fanIn, fanOut) = (layout.Widths[l], layout.Widths[l + 1]);
                    var input = l == 0 ? workspace.Inputs : workspace.Activations[l - 1];
                    var offset = layout.WeightOffsets[l];
                    Time($"weight grad {fanIn}x{fanOut}", () => MatrixMultiply.MultiplyTransposedA(input, workspace.PreActivationGradient(l).AsSpan(0, Rows * fanOut),
                        workspace.Gradient.AsSpan(offset, fanIn * fanOut), Rows, fanIn, fanOut));
                }
                Time("adam", () => adam.Step(parameters, workspace.Gradient));
            }
            foreach (var (stage, ticks) in times)
            {
                var ms = ticks * 1000.0 / Stopwatch.Frequency / Batches;
                stages[stage] = pass == 0 ? ms : Math.Min(stages[stage], ms);
            }
        }
        var whole = stages["gather"] + stages["loss+gradient"] + stages["adam"];
        Console.WriteLine($"PROFILE hidden={string.Join('-', hidden)} threads={threads} per_batch_ms (best of {Passes}): " +
                          $"batch={whole:F3} " + string.Join(' ', stages.Select(s => $"{s.Key.Replace(' ', '_')}={s.Value:F3}")));
    }
}
