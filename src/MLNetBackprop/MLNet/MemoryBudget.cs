namespace MLNetBackprop.MLNet;

/// <summary>
/// The memory training may take, as .NET sees it (container limits and <c>DOTNET_GCHeapHardLimit</c> included): a
/// machine's constant, not the heap's current state, so the same data on the same machine always gets the same
/// <see cref="MlpDataLoading.Auto"/> choice and the same model.
/// </summary>
internal static class MemoryBudget
{
    /// <summary><c>GCMemoryInfo.TotalAvailableMemoryBytes</c>: all the memory the process's heap may use.</summary>
    public static long Total => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Bytes as megabytes, for messages.</summary>
    public static string Megabytes(long bytes) => (bytes / (double)(1 << 20)).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " MB";
}
