using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Randomness;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Training;

public class BackpropagationThreadingTests
{
    [Theory]
    [InlineData(nameof(LossKind.SoftmaxCrossEntropy), nameof(ActivationKind.Relu), false)]
    [InlineData(nameof(LossKind.SoftmaxCrossEntropy), nameof(ActivationKind.Tanh), true)]
    [InlineData(nameof(LossKind.SquaredError), nameof(ActivationKind.LeakyRelu), true)]
    [InlineData(nameof(LossKind.Huber), nameof(ActivationKind.Gelu), false)]
    [InlineData(nameof(LossKind.MultiLabelLogistic), nameof(ActivationKind.Relu), true)]
    public void Loss_and_gradient_are_bit_identical_to_the_serial_pass_for_any_thread_count(string lossName, string activationName, bool dropout)
    {
        var loss = Enum.Parse<LossKind>(lossName);
        var activation = Enum.Parse<ActivationKind>(activationName);
        const int rows = 77, inputs = 40; // not a multiple of 8: uneven row parts
        var outputs = loss == LossKind.SoftmaxCrossEntropy ? 10 : 3;
        var layout = new NetworkLayout(inputs, [33, 17], outputs, activation);
        var parameters = TestData.Uniform(layout.ParameterCount, -0.5f, 0.5f, 31);
        var x = TestData.Uniform(rows * inputs, -1f, 1f, 32);
        var targets = loss switch
        {
            LossKind.SoftmaxCrossEntropy => TestData.ClassTargets(rows, outputs, 33),
            LossKind.MultiLabelLogistic => TestData.MultiLabelTargets(rows, outputs, 33),
            _ => TestData.Uniform(rows * outputs, -1, 1, 34),
        };
        var weights = TestData.Uniform(rows, 0.1f, 2f, 35);
        var data = new TrainingSet(x, targets, weights, inputs, ReferenceNetwork.TargetWidth(loss, outputs));
        float[]? rates = dropout ? [0.2f, 0.3f] : null;

        var (expectedLoss, expectedGradient) = Serial(layout, parameters, data, rows, loss, rates);
        using var scope = new ThreadCountScope(KernelThreads.ThreadCount); // restored afterwards
        foreach (var threads in new[] { 1, 2, 3 })
        {
            KernelThreads.ThreadCount = threads;
            var workspace = new BatchWorkspace(layout, rows, rates);
            workspace.Gather(data, Enumerable.Range(0, rows).ToArray());
            var value = Backpropagation.LossAndGradient(parameters, workspace, rows, loss, 0.4f, 0f, weighted: true,
                dropout: rates is null ? null : new SeededRandom(7));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expectedLoss), BitConverter.DoubleToInt64Bits(value));
            for (var i = 0; i < expectedGradient.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(expectedGradient[i]) == BitConverter.SingleToInt32Bits(workspace.Gradient[i]),
                    $"{threads} threads: gradient {i} is {workspace.Gradient[i]}, expected {expectedGradient[i]}");
        }
    }

    // The pass as it was before the top of the backward pass was split by rows: whole-batch loss, then layer by layer.
    private static (double Loss, float[] Gradient) Serial(NetworkLayout layout, float[] parameters, TrainingSet data, int rows,
        LossKind loss, float[]? rates)
    {
        using var scope = new ThreadCountScope(1);
        var workspace = new BatchWorkspace(layout, rows, rates);
        workspace.Gather(data, Enumerable.Range(0, rows).ToArray());
        Backpropagation.Forward(parameters, workspace, rows, rates is null ? null : new SeededRandom(7));
        var delta = workspace.PreActivationGradient(layout.LayerCount - 1);
        var spare = workspace.PreActivationGradient(layout.LayerCount - 2);
        var value = Losses.Evaluate(loss, 0.4f, workspace.Outputs(rows), workspace.Targets.AsSpan(0, rows * data.TargetWidth),
            workspace.Weights.AsSpan(0, rows), layout.OutputCount, delta.AsSpan(0, rows * layout.OutputCount));
        var gradient = new float[layout.ParameterCount];
        for (var l = layout.LayerCount - 1; l >= 0; l--)
        {
            int fanIn = layout.Widths[l], fanOut = layout.Widths[l + 1];
            var dz = delta.AsSpan(0, rows * fanOut);
            ReadOnlySpan<float> input = l == 0 ? workspace.Inputs : workspace.LayerInput(l);
            MatrixMultiply.MultiplyTransposedA(input, dz, gradient.AsSpan(layout.WeightOffsets[l], fanIn * fanOut), rows, fanIn, fanOut);
            var db = gradient.AsSpan(layout.BiasOffsets[l], fanOut);
            for (var r = 0; r < rows; r++)
                VectorOps.Axpy(1f, dz.Slice(r * fanOut, fanOut), db);
            if (l == 0)
                break;
            var da = spare.AsSpan(0, rows * fanIn);
            MatrixMultiply.MultiplyTransposedB(dz, parameters.AsSpan(layout.WeightOffsets[l], fanIn * fanOut), da, rows, fanOut, fanIn);
            if (workspace.DropoutApplied && workspace.Masks[l - 1] is { } mask)
                for (var i = 0; i < da.Length; i++)
                    da[i] *= mask[i];
            Activations.Backward(layout.HiddenActivation, workspace.PreActivations[l - 1].AsSpan(0, da.Length),
                workspace.Activations[l - 1].AsSpan(0, da.Length), da);
            (delta, spare) = (spare, delta);
        }
        return (value, gradient);
    }
}
