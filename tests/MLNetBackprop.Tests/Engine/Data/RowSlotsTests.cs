using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.Tests.Engine.Data;

/// <summary>Row slots: dense or sparse storage of rows written in place, as streamed chunks and the shuffle buffer use them.</summary>
public class RowSlotsTests
{
    private static float[] DenseRow(RowSlots slots, int slot) => slots.DenseFeatures.AsSpan(slot * slots.Width, slots.Width).ToArray();

    [Fact]
    public void A_dense_slot_takes_a_dense_row_as_it_is()
    {
        var slots = new RowSlots(3, 4, sparse: false);

        slots.Set(1, [], [1.5f, 0, -2, 3], target: 7, weight: 0.5f);

        Assert.Equal([1.5f, 0, -2, 3], DenseRow(slots, 1));
        Assert.Equal(7, slots.Targets[1]);
        Assert.Equal(0.5f, slots.Weights[1]);
        Assert.Equal(4, slots.StoredCount(1));
    }

    [Fact]
    public void A_dense_slot_takes_a_sparse_row_with_every_other_cell_zeroed()
    {
        var slots = new RowSlots(2, 5, sparse: false);
        slots.Set(0, [], [9, 9, 9, 9, 9], 1, 1);

        slots.Set(0, [1, 4], [2.5f, -1], 2, 1);

        Assert.Equal([0, 2.5f, 0, 0, -1], DenseRow(slots, 0));
    }

    [Fact]
    public void A_sparse_slot_given_a_dense_row_keeps_only_its_non_zeros()
    {
        var slots = new RowSlots(2, 6, sparse: true);

        slots.Set(1, [], [0, 3, 0, 0, -4, 0], target: 1, weight: 2);

        Assert.True(slots.IsSparse);
        Assert.Null(slots.DenseFeatures);
        Assert.Equal([1, 4], slots.IndicesOf(1).ToArray());
        Assert.Equal([3f, -4f], slots.ValuesOf(1).ToArray());
        Assert.Equal(2, slots.StoredCount(1));
        Assert.Equal(2, slots.Weights[1]);
    }

    [Fact]
    public void A_sparse_slot_reused_for_a_longer_row_grows_and_then_reads_a_shorter_row_back_exactly()
    {
        var slots = new RowSlots(2, 50, sparse: true);
        slots.Set(0, [3], [1], 0, 1);
        int[] longIndices = [.. Enumerable.Range(0, 20).Select(i => 2 * i + 1)];
        float[] longValues = [.. Enumerable.Range(0, 20).Select(i => i + 0.5f)];

        slots.Set(0, longIndices, longValues, 1, 1);
        Assert.Equal(longIndices, slots.IndicesOf(0).ToArray());
        Assert.Equal(longValues, slots.ValuesOf(0).ToArray());

        slots.Set(0, [0, 49], [-1, 2], 2, 1);
        Assert.Equal([0, 49], slots.IndicesOf(0).ToArray());
        Assert.Equal([-1f, 2f], slots.ValuesOf(0).ToArray());

        slots.Set(0, [], new float[50], 3, 1); // an all-zero row stores nothing
        Assert.Equal(0, slots.StoredCount(0));
        Assert.True(slots.IndicesOf(0).IsEmpty);
        Assert.Equal(3, slots.Targets[0]);
    }

    [Fact]
    public void A_sparse_slot_given_a_dense_row_with_more_non_zeros_than_it_held_grows()
    {
        var slots = new RowSlots(1, 8, sparse: true);
        slots.Set(0, [2], [5], 0, 1);
        float[] row = [1, 2, 3, 0, 5, 6, 7, 8];

        slots.Set(0, [], row, 0, 1);

        Assert.Equal([0, 1, 2, 4, 5, 6, 7], slots.IndicesOf(0).ToArray());
        Assert.Equal([1f, 2, 3, 5, 6, 7, 8], slots.ValuesOf(0).ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CopyFrom_copies_a_row_its_target_and_its_weight_between_slots(bool sparse)
    {
        var source = new RowSlots(3, 6, sparse);
        source.Set(2, [0, 5], [4, -3], target: 1, weight: 0.25f);
        var destination = new RowSlots(2, 6, sparse);
        destination.Set(0, [1, 2, 3, 4], [9, 9, 9, 9], 0, 1);

        destination.CopyFrom(source, 2, 0);

        Assert.Equal(1, destination.Targets[0]);
        Assert.Equal(0.25f, destination.Weights[0]);
        if (sparse)
        {
            Assert.Equal([0, 5], destination.IndicesOf(0).ToArray());
            Assert.Equal([4f, -3f], destination.ValuesOf(0).ToArray());
        }
        else
            Assert.Equal([4, 0, 0, 0, 0, -3], DenseRow(destination, 0));
        // The copy is the destination's own: rewriting the source leaves it be.
        source.Set(2, [1], [8], 0, 1);
        Assert.Equal(sparse ? [4f, -3f] : [4, 0, 0, 0, 0, -3], sparse ? destination.ValuesOf(0).ToArray() : DenseRow(destination, 0));
    }

    [Fact]
    public void A_sparse_row_whose_indices_and_values_differ_in_length_is_refused()
    {
        var slots = new RowSlots(1, 6, sparse: true);
        var error = Assert.Throws<ArgumentException>(() => slots.Set(0, [1, 2], [1], 0, 1));
        Assert.Contains("2 indices for 1 values", error.Message);
    }

    [Fact]
    public void A_sparse_slot_that_held_an_outlier_shrinks_back_for_ordinary_rows()
    {
        var slots = new RowSlots(1, 100_000, sparse: true);
        var outlier = Enumerable.Range(0, 50_000).ToArray();
        slots.Set(0, outlier, outlier.Select(i => 1f + i).ToArray(), 0, 1);
        var afterOutlier = slots.ByteCount;

        slots.Set(0, [3, 7], [1f, 2f], 0, 1);

        Assert.True(slots.ByteCount < afterOutlier / 100, $"{slots.ByteCount} bytes after {afterOutlier}");
        Assert.Equal([3, 7], slots.IndicesOf(0).ToArray());
        Assert.Equal([1f, 2f], slots.ValuesOf(0).ToArray());
    }
}
