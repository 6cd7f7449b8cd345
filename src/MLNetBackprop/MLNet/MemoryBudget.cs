namespace MLNetBackprop.MLNet;

/// <summary>The memory training may still take, as .NET sees it (container limits and <c>DOTNET_GCHeapHardLimit</c> included).</summary>
internal static class MemoryBudget
{
    /// <summary><c>GCMemoryInfo.TotalAvailableMemoryBytes</c>: all the memory the process's heap may use.</summary>
    public static long Total => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>What is left of <see cref="Total"/> after the managed heap in use now.</summary>
    public static long Available => Math.Max(0, Total - GC.GetTotalMemory(forceFullCollection: false));

    /// <summary>Bytes as megabytes, for messages.</summary>
    public static string Megabytes(long bytes) => (bytes / (double)(1 << 20)).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " MB";
}
