using MLNetBackprop.Engine.Data;
using MLNetBackprop.MLNet;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>
/// Collecting rows into memory: a view that says how many rows it has lets dense rows go straight into their final
/// array, and the rows laid out are the same as when they are collected as non-zeros.
/// </summary>
public class RowCollectorTests
{
    private const int Width = 6;

    // Row r: dense when r < denseRows (every cell non-zero), else one non-zero in every other row; target r, weight 1 + r % 3.
    private static TrainingSet Collect(int rows, int denseRows, long? expectedRows, bool? sparse = null)
    {
        var collector = new RowCollector(Width, weighted: true, expectedRows);
        var slot = new RowSlots(1, Width, sparse: true);
        for (var r = 0; r < rows; r++)
        {
            var values = Enumerable.Range(0, Width).Select(j => r < denseRows || (r % 2 == 0 && j == r % Width) ? r + j + 1f : 0f).ToArray();
            slot.Set(0, default, values, r, 1 + r % 3);
            collector.Add(slot, 0);
        }
        return collector.Drain(sparse);
    }

    private static float[] Cells(TrainingSet set) => set.Features ?? set.SparseFeatures!.ToDense();

    [Theory]
    [InlineData(5000, 5000, 5000, "dense rows of the length the view said")]
    [InlineData(5000, 4900, 5000, "dense rows, then a few sparse ones, still dense overall")]
    [InlineData(100000, 4096, 100000, "dense first rows, then mostly sparse: laid out sparse after all")]
    [InlineData(5000, 5000, 6000, "fewer rows than the view said (some skipped)")]
    [InlineData(5000, 5000, 4500, "more rows than the view said")]
    [InlineData(300, 300, 300, "fewer rows than the decision needs")]
    public void A_view_of_known_length_lays_out_the_rows_collected_without_it(int rows, int denseRows, int expectedRows, string because)
    {
        var known = Collect(rows, denseRows, expectedRows);
        var unknown = Collect(rows, denseRows, expectedRows: null);

        Assert.True(known.IsSparse == unknown.IsSparse, because);
        Assert.Equal(because.Contains("sparse after all", StringComparison.Ordinal), known.IsSparse);
        Assert.Equal(Cells(unknown), Cells(known));
        Assert.Equal(unknown.Targets, known.Targets);
        Assert.Equal(unknown.Weights, known.Weights);
    }

    [Fact]
    public void Forced_sparse_storage_gives_the_same_rows_from_a_dense_array()
    {
        var known = Collect(5000, 5000, 5000, sparse: true);
        var unknown = Collect(5000, 5000, null, sparse: true);

        Assert.True(known.IsSparse);
        Assert.Equal(unknown.SparseFeatures!.Values, known.SparseFeatures!.Values);
        Assert.Equal(unknown.SparseFeatures.Indices, known.SparseFeatures.Indices);
        Assert.Equal(unknown.SparseFeatures.RowStarts, known.SparseFeatures.RowStarts);
    }

    [Fact]
    public void Dense_rows_of_a_view_of_known_length_peak_at_their_dense_size_not_their_non_zeros_plus_it()
    {
        static long Peak(long? expectedRows)
        {
            var collector = new RowCollector(Width, weighted: false, expectedRows);
            var slot = new RowSlots(1, Width, sparse: true);
            for (var r = 0; r < 5000; r++)
            {
                slot.Set(0, default, Enumerable.Range(1, Width).Select(j => (float)j).ToArray(), 0, 1);
                collector.Add(slot, 0);
            }
            return collector.PeakBytes(sparse: null);
        }

        var cells = 5000L * Width * sizeof(float);
        Assert.Equal(cells + 5000 * 8, Peak(5000));
        Assert.True(Peak(null) >= 3 * cells, $"collected as non-zeros: {Peak(null)} bytes");
    }
}
