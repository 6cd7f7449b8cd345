using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Model;

public class NetworkPredictionTests
{
    private static Network RandomNetwork(ActivationKind activation, params int[] hidden)
    {
        var layout = new NetworkLayout(5, hidden, 3, activation);
        return new Network(layout, TestData.Uniform(layout.ParameterCount, -1, 1, 61));
    }

    [Theory]
    [InlineData(nameof(ActivationKind.Relu))]
    [InlineData(nameof(ActivationKind.Gelu))]
    [InlineData(nameof(ActivationKind.Sigmoid))]
    public void Predict_matches_the_reference_forward_pass(string activationName)
    {
        var activation = Enum.Parse<ActivationKind>(activationName);
        var network = RandomNetwork(activation, 9, 4);
        var features = TestData.Uniform(5, -2, 2, 62);
        var outputs = new float[3];
        network.Predict(features, outputs, network.CreatePredictionBuffers());
        var expected = ReferenceNetwork.Forward(network.Layout, network.Parameters.ToArray().Select(v => (double)v).ToArray(), features, 1, out _);
        for (var j = 0; j < 3; j++)
            Assert.Equal(expected[j], outputs[j], 1e-5);
    }

    [Fact]
    public void Single_row_batched_and_training_forward_passes_agree_bit_for_bit()
    {
        const int rows = 300; // more than one PredictBatch chunk
        var network = RandomNetwork(ActivationKind.Tanh, 33, 7);
        var features = TestData.Uniform(rows * 5, -2, 2, 63);
        var batched = new float[rows * 3];
        network.PredictBatch(features, batched, rows);

        var workspace = new BatchWorkspace(network.Layout, rows);
        workspace.Gather(new TrainingSet(features, new float[rows], null, 5), Enumerable.Range(0, rows).ToArray());
        Backpropagation.Forward(network.Parameters.ToArray(), workspace, rows);

        var buffers = network.CreatePredictionBuffers();
        var single = new float[3];
        for (var r = 0; r < rows; r++)
        {
            network.Predict(features.AsSpan(r * 5, 5), single, buffers);
            Assert.Equal(batched.AsSpan(r * 3, 3).ToArray(), single);
        }
        Assert.Equal(batched, workspace.Outputs(rows).ToArray());
    }

    [Fact]
    public void Predict_does_not_allocate()
    {
        var network = RandomNetwork(ActivationKind.Relu, 16);
        var buffers = network.CreatePredictionBuffers();
        var features = TestData.Uniform(5, -1, 1, 64);
        var outputs = new float[3];
        network.Predict(features, outputs, buffers); // warm up the JIT
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
            network.Predict(features, outputs, buffers);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void A_linear_network_predicts_xW_plus_b()
    {
        // 2 inputs, 1 output: 3·0.5 + (−1)·2 + 0.25 = −0.25.
        var network = new Network(new NetworkLayout(2, [], 1, ActivationKind.Relu), [0.5f, 2f, 0.25f]);
        var output = new float[1];
        network.Predict([3f, -1f], output, network.CreatePredictionBuffers());
        Assert.Equal(-0.25f, output[0]);
    }

    [Fact]
    public void Predict_rejects_spans_and_buffers_of_the_wrong_size()
    {
        var network = RandomNetwork(ActivationKind.Relu, 16);
        var buffers = network.CreatePredictionBuffers();
        Assert.Throws<ArgumentException>(() => network.Predict(new float[4], new float[3], buffers));
        Assert.Throws<ArgumentException>(() => network.Predict(new float[5], new float[2], buffers));
        Assert.Throws<ArgumentException>(() => network.Predict(new float[5], new float[3], new PredictionBuffers(8, 0)));
        Assert.Throws<ArgumentException>(() => network.PredictBatch(new float[10], new float[3], 2));
    }
}
