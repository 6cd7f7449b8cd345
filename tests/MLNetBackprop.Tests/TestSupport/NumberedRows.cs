using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.RowSources;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>
/// Rows that say which they are (row r has target r and weight r + 1), and the batches a row pass gathers from them,
/// each row's features checked against the row its target names: for tests of the order in which a row source
/// gives its rows.
/// </summary>
internal static class NumberedRows
{
    /// <summary>
    /// <paramref name="rows"/> rows of <paramref name="width"/> features, dense or <paramref name="sparse"/>: row r
    /// holds r + 1 at feature r mod width and −(r + 1) at feature (r + 2) mod width, zero elsewhere.
    /// </summary>
    public static TrainingSet Create(int rows, int width, bool sparse)
    {
        var features = new float[rows * width];
        for (var r = 0; r < rows; r++)
        {
            features[r * width + r % width] = r + 1;
            features[r * width + (r + 2) % width] = -(r + 1);
        }
        var targets = Enumerable.Range(0, rows).Select(r => (float)r).ToArray();
        var weights = Enumerable.Range(0, rows).Select(r => r + 1f).ToArray();
        return sparse
            ? new TrainingSet(SparseRows.FromDense(features, width), targets, weights)
            : new TrainingSet(features, targets, weights, width);
    }

    /// <summary>A workspace for batches of up to <paramref name="capacity"/> rows of <paramref name="set"/>.</summary>
    public static BatchWorkspace Workspace(TrainingSet set, int capacity)
        => new(new NetworkLayout(set.FeatureCount, [], 1, ActivationKind.Relu), capacity);

    /// <summary>
    /// Takes every batch of <paramref name="pass"/> and returns the rows of each, checking that each row's features
    /// are those of the row its target names and that the weight sum is the batch's.
    /// </summary>
    public static List<int[]> Batches(IRowPass pass, BatchWorkspace workspace, TrainingSet set)
    {
        var batches = new List<int[]>();
        while (pass.Next(out var weightSum) is var count and > 0)
        {
            var rows = workspace.Targets.AsSpan(0, count).ToArray().Select(t => (int)t).ToArray();
            for (var i = 0; i < count; i++)
                Assert.Equal(Features(set, rows[i]), GatheredFeatures(workspace, i));
            Assert.Equal(rows.Sum(r => r + 1.0), weightSum);
            batches.Add(rows);
        }
        return batches;
    }

    private static float[] Features(TrainingSet set, int row)
        => set.SparseFeatures is { } sparse
            ? DenseOf(sparse.IndicesOf(row), sparse.ValuesOf(row), set.FeatureCount)
            : set.Features.AsSpan(row * set.FeatureCount, set.FeatureCount).ToArray();

    private static float[] GatheredFeatures(BatchWorkspace workspace, int row)
        => workspace.SparseInputs is { } sparse
            ? DenseOf(sparse.IndicesOf(row), sparse.ValuesOf(row), workspace.Layout.InputCount)
            : workspace.Inputs.AsSpan(row * workspace.Layout.InputCount, workspace.Layout.InputCount).ToArray();

    private static float[] DenseOf(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, int width)
    {
        var dense = new float[width];
        for (var k = 0; k < indices.Length; k++)
            dense[indices[k]] = values[k];
        return dense;
    }
}
