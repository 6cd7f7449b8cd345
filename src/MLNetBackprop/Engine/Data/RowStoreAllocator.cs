using System.Runtime.InteropServices;

namespace MLNetBackprop.Engine.Data;

/// <summary>
/// Allocates the large feature arrays that training reads in random row order. On Linux the array's memory is
/// advised for transparent huge pages before it is first written: a mini-batch gathers rows from all over the data
/// set, and with 4 KB pages nearly every row costs a TLB miss (a page walk, twice as long in a virtual machine).
/// Elsewhere, or when the advice is refused, it is a plain array.
/// </summary>
internal static partial class RowStoreAllocator
{
    private const int HugePage = 2 << 20;
    private const int AdviseHugePage = 14; // MADV_HUGEPAGE
    private static bool _adviceUnavailable;

    /// <summary>A zero-initialized float array of <paramref name="length"/> elements (pinned when advised).</summary>
    public static float[] Allocate(int length)
    {
        if ((long)length * sizeof(float) < 4L * HugePage || !OperatingSystem.IsLinux() || _adviceUnavailable)
            return new float[length];
        // Pinned, so the advised range stays where it is; uninitialized, so no page is touched before the advice.
        var array = GC.AllocateUninitializedArray<float>(length, pinned: true);
        Advise(array);
        array.AsSpan().Clear();
        return array;
    }

    private static unsafe void Advise(float[] array)
    {
        fixed (float* start = array)
        {
            var first = ((nint)start + HugePage - 1) & ~(nint)(HugePage - 1);
            var end = (nint)(start + array.Length) & ~(nint)(HugePage - 1);
            if (end <= first)
                return;
            try
            {
                _ = Madvise(first, (nuint)(end - first), AdviseHugePage); // a refusal only costs speed
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                _adviceUnavailable = true;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
