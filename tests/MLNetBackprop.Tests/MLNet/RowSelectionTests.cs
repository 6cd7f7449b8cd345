using Microsoft.ML.Data;
using MLNetBackprop.MLNet;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>The streamed validation split: a hash of the row id, the same on every pass, close to the fraction asked.</summary>
public class RowSelectionTests
{
    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.25f)]
    public void About_the_fraction_of_rows_is_held_out(float fraction)
    {
        var selection = new RowSelection(fraction, Seed: 7);
        var held = Enumerable.Range(0, 100_000).Count(i => selection.HoldsOut(new DataViewRowId((ulong)i, 0)));
        Assert.InRange(held / 100_000.0, fraction - 0.005, fraction + 0.005);
    }

    [Fact]
    public void The_same_seed_holds_out_the_same_rows_and_another_seed_other_rows()
    {
        static bool[] Held(int seed) => Enumerable.Range(0, 2_000)
            .Select(i => new RowSelection(0.2f, seed).HoldsOut(new DataViewRowId((ulong)i, 0))).ToArray();
        Assert.Equal(Held(3), Held(3));
        Assert.NotEqual(Held(3), Held(4));
    }

    [Fact]
    public void Neighbouring_row_ids_are_held_out_independently()
    {
        var selection = new RowSelection(0.5f, Seed: 1);
        var held = Enumerable.Range(0, 10_000).Select(i => selection.HoldsOut(new DataViewRowId((ulong)i, 0))).ToArray();
        var sameAsNext = Enumerable.Range(0, held.Length - 1).Count(i => held[i] == held[i + 1]);
        Assert.InRange(sameAsNext / (double)(held.Length - 1), 0.47, 0.53);
    }
}
