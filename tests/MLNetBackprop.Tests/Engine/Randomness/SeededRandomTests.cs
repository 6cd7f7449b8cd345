using MLNetBackprop.Engine.Randomness;

namespace MLNetBackprop.Tests.Engine.Randomness;

public class SeededRandomTests
{
    private static ulong[] Draw(SeededRandom random, int count)
        => Enumerable.Range(0, count).Select(_ => random.NextUInt64()).ToArray();

    [Fact]
    public void The_same_seed_gives_the_same_sequence_and_other_seeds_differ()
    {
        Assert.Equal(Draw(new SeededRandom(7), 50), Draw(new SeededRandom(7), 50));
        Assert.NotEqual(Draw(new SeededRandom(7), 50), Draw(new SeededRandom(8), 50));
        Assert.NotEqual(Draw(new SeededRandom(0), 50), Draw(new SeededRandom(-1), 50));
    }

    [Fact]
    public void A_restored_state_continues_the_sequence_exactly()
    {
        var random = new SeededRandom(123);
        Draw(random, 17);
        var state = new ulong[SeededRandom.StateLength];
        random.SaveState(state);
        var restored = SeededRandom.FromState(state);
        Assert.Equal(Draw(random, 40), Draw(restored, 40));
    }

    [Fact]
    public void An_all_zero_state_is_rejected()
        => Assert.Throws<ArgumentException>(() => SeededRandom.FromState(new ulong[4]));

    [Fact]
    public void NextFloat_is_in_the_unit_interval_with_mean_one_half()
    {
        var random = new SeededRandom(5);
        double sum = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var x = random.NextFloat();
            Assert.InRange(x, 0f, 0.99999995f);
            sum += x;
        }
        Assert.Equal(0.5, sum / 100_000, 0.005);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public void NextInt_hits_every_value_below_the_bound_about_equally(int bound)
    {
        var random = new SeededRandom(9);
        var counts = new int[bound];
        const int draws = 30_000;
        for (var i = 0; i < draws; i++)
            counts[random.NextInt(bound)]++;
        foreach (var count in counts)
            Assert.InRange(count, draws / bound * 0.95, draws / bound * 1.05);
    }

    [Fact]
    public void Shuffle_produces_a_seed_determined_permutation()
    {
        int[] Shuffled(long seed)
        {
            var values = Enumerable.Range(0, 100).ToArray();
            new SeededRandom(seed).Shuffle(values);
            return values;
        }
        var a = Shuffled(1);
        Assert.Equal(Enumerable.Range(0, 100), a.Order());
        Assert.NotEqual(Enumerable.Range(0, 100), a);
        Assert.Equal(a, Shuffled(1));
        Assert.NotEqual(a, Shuffled(2));
    }
}
