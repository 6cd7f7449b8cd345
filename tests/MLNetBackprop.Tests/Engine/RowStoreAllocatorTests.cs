using MLNetBackprop.Engine.Data;



namespace MLNetBackprop.Tests.Engine;

public class RowStoreAllocatorTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(3_000_001)] // above the huge-page threshold (8 MB), not a multiple of a page
    public void Allocates_a_zeroed_array_of_the_requested_length_that_holds_what_is_written(int length)
    {
        var array = RowStoreAllocator.Allocate(length);
        Assert.Equal(length, array.Length);
        Assert.All(array, value => Assert.Equal(0f, value));
        for (var i = 0; i < length; i += 4093)
            array[i] = i;
        for (var i = 0; i < length; i += 4093)
            Assert.Equal(i, array[i]);
    }
}
