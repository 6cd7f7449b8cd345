using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>
/// Data larger than the memory .NET may use: a process limited by <c>DOTNET_GCHeapHardLimit</c>
/// (tests/MLNetBackprop.StreamProbe) trains on generated rows whose dense size is about twice its heap limit, which
/// streaming does and reading into memory refuses with a clear error rather than running out of memory.
/// </summary>
public class StreamingMemoryLimitTests
{
    // 128 MB of heap; 300,000 rows of 200 features are 240 MB as dense floats.
    private const string HeapLimit = "0x8000000";
    private const string Rows = "300000";
    private const string Features = "200";

    private static BuiltProgram.Result Train(string loading, string validationFraction = "0") => BuiltProgram.Run("tests/MLNetBackprop.StreamProbe",
        "MLNetBackprop.StreamProbe", [loading, Rows, Features, validationFraction],
        environment: new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = HeapLimit });

    [Fact]
    public void Streaming_trains_on_data_twice_the_size_of_the_heap_limit()
    {
        var run = Train("Streaming");

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}\n{run.Output}\n{run.Error}");
        Assert.Contains("heap limit 128 MB", run.Output);
        Assert.Contains("Streaming the training data: 300,000 rows read in a first pass", run.Output);
        Assert.Contains("trained: 1 epoch", run.Output);
    }

    [Fact]
    public void Streaming_with_held_out_rows_too_many_for_memory_streams_them_as_well()
    {
        var run = Train("Streaming", validationFraction: "0.2");

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}\n{run.Output}\n{run.Error}");
        Assert.Contains("rows for validation, chosen by a hash of their row id; they are streamed too", run.Output);
        Assert.Contains("trained: 1 epoch", run.Output);
    }

    [Fact]
    public void In_memory_loading_of_data_twice_the_size_of_the_heap_limit_fails_naming_DataLoading()
    {
        var run = Train("InMemory");

        Assert.True(run.ExitCode == 3, $"exit code {run.ExitCode}\n{run.Output}\n{run.Error}");
        Assert.Contains("InvalidOperationException: The training rows do not fit in memory", run.Output);
        Assert.Contains("Set the trainer option DataLoading to MlpDataLoading.Streaming", run.Output);
        Assert.DoesNotContain("OutOfMemoryException", run.Output + run.Error);
    }
}
