using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Model;

/// <summary>
/// <see cref="Network.PredictSparse"/>: a row given by its non-zeros scores exactly as the same row made dense, on
/// narrow and split (wide) first layers, with and without hidden layers, and bad rows fail with a clear message.
/// </summary>
public class SparsePredictionTests
{
    private static Network RandomNetwork(int inputs, int[] hidden, int outputs, ActivationKind activation = ActivationKind.Relu)
    {
        var layout = new NetworkLayout(inputs, hidden, outputs, activation);
        return new Network(layout, TestData.Uniform(layout.ParameterCount, -1, 1, 17));
    }

    // Every fifth feature or so is non-zero; the row with no non-zeros is included.
    private static (int[] Indices, float[] Values, float[] Dense)[] SparseRows(int inputs, int count)
    {
        var random = new Random(5);
        var rows = new (int[], float[], float[])[count];
        for (var r = 0; r < count; r++)
        {
            var dense = new float[inputs];
            var indices = new List<int>();
            for (var i = 0; i < inputs && r > 0; i++)
            {
                if (random.NextDouble() < 0.2)
                {
                    dense[i] = (float)((random.NextDouble() * 4) - 2);
                    indices.Add(i);
                }
            }
            rows[r] = ([.. indices], [.. indices.Select(i => dense[i])], dense);
        }
        return rows;
    }

    [Theory]
    [InlineData(12, new int[0], 1)]
    [InlineData(12, new[] { 16 }, 3)]
    [InlineData(300, new[] { 24, 8 }, 4)] // 300 inputs: the first layer is computed in two halves
    [InlineData(1000, new int[0], 5)]
    public void A_sparse_row_scores_exactly_as_the_same_row_made_dense(int inputs, int[] hidden, int outputs)
    {
        var network = RandomNetwork(inputs, hidden, outputs, ActivationKind.Tanh);
        var buffers = network.CreatePredictionBuffers();
        foreach (var (indices, values, dense) in SparseRows(inputs, 20))
        {
            var fromDense = new float[outputs];
            var fromSparse = new float[outputs];
            network.Predict(dense, fromDense, buffers);
            network.PredictSparse(indices, values, fromSparse, buffers);
            Assert.Equal(fromDense, fromSparse);
        }
    }

    [Fact]
    public void Sparse_prediction_does_not_allocate()
    {
        var network = RandomNetwork(300, [16], 3);
        var buffers = network.CreatePredictionBuffers();
        var (indices, values, _) = SparseRows(300, 2)[1];
        var outputs = new float[3];
        network.PredictSparse(indices, values, outputs, buffers); // warm up the JIT
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
            network.PredictSparse(indices, values, outputs, buffers);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Theory]
    [InlineData(new[] { 3, 3 }, "strictly increasing")]
    [InlineData(new[] { 4, 2 }, "strictly increasing")]
    [InlineData(new[] { 1, 12 }, "outside the network's 12 features")]
    [InlineData(new[] { -1 }, "outside the network's 12 features")]
    public void A_duplicate_unordered_or_out_of_range_index_is_refused(int[] indices, string message)
    {
        var network = RandomNetwork(12, [4], 2);
        var error = Assert.Throws<ArgumentException>(() =>
            network.PredictSparse(indices, new float[indices.Length], new float[2], network.CreatePredictionBuffers()));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Indices_and_values_of_different_lengths_are_refused()
    {
        var network = RandomNetwork(12, [4], 2);
        Assert.Throws<ArgumentException>(() => network.PredictSparse([1, 2], [1f], new float[2], network.CreatePredictionBuffers()));
    }
}
