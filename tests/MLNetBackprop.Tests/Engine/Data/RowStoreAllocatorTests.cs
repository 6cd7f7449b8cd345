using System.Globalization;
using System.Runtime.InteropServices;
using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.Tests.Engine.Data;

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

    [Fact]
    public void A_large_array_is_advised_for_huge_pages_where_linux_offers_them()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/sys/kernel/mm/transparent_hugepage/enabled"))
            return; // nothing to advise: Allocate returns a plain array there
        var array = RowStoreAllocator.Allocate(3_000_001);
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        try
        {
            // The first whole 2 MB page inside the array; madvise marks its mapping "hg" (VM_HUGEPAGE) in smaps.
            var start = (ulong)handle.AddrOfPinnedObject();
            const ulong hugePage = 2 << 20;
            var firstWholePage = (start + hugePage - 1) & ~(hugePage - 1);
            Assert.Contains("hg", VmFlagsOfMappingContaining(firstWholePage).Split(' '));
        }
        finally
        {
            handle.Free();
        }
    }

    private static string VmFlagsOfMappingContaining(ulong address)
    {
        var inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && ulong.TryParse(line[..dash], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var from)
                && ulong.TryParse(line[(dash + 1)..space], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var to))
                inside = address >= from && address < to;
            else if (inside && line.StartsWith("VmFlags:", StringComparison.Ordinal))
                return line["VmFlags:".Length..].Trim();
        }
        throw new InvalidOperationException($"No mapping in /proc/self/smaps contains 0x{address:x}.");
    }
}
