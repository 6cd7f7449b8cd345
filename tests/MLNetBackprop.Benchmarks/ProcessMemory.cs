using System.Globalization;

namespace MLNetBackprop.Benchmarks;

/// <summary>The process's resident memory from /proc/self/status: now (VmRSS) and its peak so far (VmHWM).</summary>
internal static class ProcessMemory
{
    /// <summary>Resident set size now, MiB.</summary>
    public static double ResidentMb() => Read("VmRSS:");

    /// <summary>Peak resident set size since the process started, MiB.</summary>
    public static double PeakResidentMb() => Read("VmHWM:");

    // Straight from the kernel, the figures `ps` and `time -v` show; NaN where there is no /proc, rather than another
    // platform's notion of a working set under the same name.
    private static double Read(string key)
    {
        if (!File.Exists("/proc/self/status"))
            return double.NaN;
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        return double.NaN;
    }
}
