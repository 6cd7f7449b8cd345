using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>Checks that every way of running a network over rows gives the same bits.</summary>
internal static class PredictionPaths
{
    /// <summary>
    /// <see cref="Network.PredictBatch"/>, <see cref="Network.Predict"/> row by row and <see cref="Network.PredictSparse"/>
    /// on each row's non-zeros all give <paramref name="expected"/> (row-major, rows × outputs) for the dense
    /// <paramref name="features"/>.
    /// </summary>
    public static void AssertEveryPathGives(Network network, float[] features, int rows, float[] expected)
    {
        var (width, outputs) = (network.FeatureCount, network.Layout.OutputCount);
        var batched = new float[rows * outputs];
        network.PredictBatch(features, batched, rows);
        Assert.Equal(expected, batched);
        var buffers = network.CreatePredictionBuffers();
        var single = new float[outputs];
        for (var r = 0; r < rows; r++)
        {
            var row = features.AsSpan(r * width, width).ToArray();
            network.Predict(row, single, buffers);
            Assert.Equal(expected.AsSpan(r * outputs, outputs).ToArray(), single);
            var indices = Enumerable.Range(0, width).Where(j => row[j] != 0).ToArray();
            network.PredictSparse(indices, indices.Select(j => row[j]).ToArray(), single, buffers);
            Assert.Equal(expected.AsSpan(r * outputs, outputs).ToArray(), single);
        }
    }

    /// <summary>
    /// A training forward pass over <paramref name="features"/> gathered into <paramref name="workspace"/> (which
    /// prepares rows as the network does) gives what <see cref="Network.PredictBatch"/> gives.
    /// </summary>
    public static void AssertTrainingForwardGivesPredictions(Network network, BatchWorkspace workspace, float[] features, int rows)
    {
        workspace.Gather(new TrainingSet(features, new float[rows], null, network.FeatureCount), Enumerable.Range(0, rows).ToArray());
        Backpropagation.Forward(network.Parameters.ToArray(), workspace, rows);
        var predicted = new float[rows * network.Layout.OutputCount];
        network.PredictBatch(features, predicted, rows);
        Assert.Equal(predicted, workspace.Outputs(rows).ToArray());
    }
}
