using MLNetBackprop.Engine.Randomness;
using MLNetBackprop.Engine.RowSources;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.RowSources;

/// <summary>Rows in memory: batches are consecutive stretches of a row order that each shuffled epoch reshuffles.</summary>
public class InMemoryRowSourceTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_pass_in_order_gives_the_rows_in_order_in_batches_of_the_workspace_capacity(bool sparse)
    {
        var set = NumberedRows.Create(23, 5, sparse);
        var source = new InMemoryRowSource(set);
        var workspace = NumberedRows.Workspace(set, 10);

        List<int[]> batches;
        using (var pass = source.StartInOrder(workspace))
            batches = NumberedRows.Batches(pass, workspace, set);

        Assert.Equal([10, 10, 3], batches.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, 23), batches.SelectMany(b => b));
        Assert.Equal(sparse, source.IsSparse);
        Assert.True(source.HasWeights);
        Assert.Equal(23, source.OrderLength);
    }

    [Fact]
    public void A_shuffled_epoch_reshuffles_the_order_it_is_given_in_place_and_batches_follow_it()
    {
        var set = NumberedRows.Create(20, 4, sparse: false);
        var source = new InMemoryRowSource(set);
        var workspace = NumberedRows.Workspace(set, 8);
        var order = Enumerable.Range(0, 20).Reverse().ToArray();
        var expected = (int[])order.Clone();
        new SeededRandom(5).Shuffle(expected);

        List<int[]> batches;
        using (var pass = source.StartEpoch(workspace, order, new SeededRandom(5), shuffle: true))
            batches = NumberedRows.Batches(pass, workspace, set);

        Assert.Equal(expected, order);
        Assert.Equal(expected, batches.SelectMany(b => b));
        Assert.Equal([8, 8, 4], batches.Select(b => b.Length));
    }

    [Fact]
    public void An_epoch_without_shuffling_follows_the_order_as_given_and_draws_nothing()
    {
        var set = NumberedRows.Create(12, 4, sparse: true);
        var source = new InMemoryRowSource(set);
        var workspace = NumberedRows.Workspace(set, 5);
        int[] order = [3, 1, 4, 0, 5, 9, 2, 6, 8, 7, 11, 10];
        var random = new SeededRandom(9);

        List<int[]> batches;
        using (var pass = source.StartEpoch(workspace, order, random, shuffle: false))
            batches = NumberedRows.Batches(pass, workspace, set);

        Assert.Equal([3, 1, 4, 0, 5, 9, 2, 6, 8, 7, 11, 10], batches.SelectMany(b => b));
        Assert.Equal(new SeededRandom(9).NextUInt64(), random.NextUInt64());
    }

    [Fact]
    public void An_order_of_another_length_is_refused()
    {
        var set = NumberedRows.Create(6, 3, sparse: false);
        var source = new InMemoryRowSource(set);
        var error = Assert.Throws<ArgumentException>(() =>
            source.StartEpoch(NumberedRows.Workspace(set, 4), new int[5], new SeededRandom(1), shuffle: true));
        Assert.Contains("5 entries for 6 rows", error.Message);
    }
}
