using System.Runtime.InteropServices;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// The calling thread's CPU time (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>): the work a single-threaded
/// run does, whatever share of the cores other processes take on a busy machine, unlike the wall clock.
/// </summary>
internal static unsafe partial class ThreadCpuTime
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>Seconds of CPU the calling thread has used so far, or NaN where the clock is not available.</summary>
    public static double Seconds()
    {
        if (!OperatingSystem.IsLinux())
            return double.NaN;
        var time = stackalloc long[2]; // struct timespec: seconds, nanoseconds
        return ClockGetTime(ClockThreadCpuTimeId, time) == 0 ? time[0] + time[1] * 1e-9 : double.NaN;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, long* time);
}
