namespace MLNetBackprop.Tests.MLNet;

/// <summary>
/// Training with <see cref="MlpDataLoading.Streaming"/> through ML.NET: the same models as in memory where the design
/// promises it, close ones where a bounded shuffle buffer mixes the rows, and clear errors when a row or the data
/// source goes bad mid-stream.
/// </summary>
public class StreamingTrainingTests
{
    // Cases without ValidationFraction: a streamed split holds rows out by a hash of their id, not stratified as in memory.
    public static TheoryData<string> CasesWithoutHeldOutRows => new()
    {
        "binary-defaults", "multiclass-defaults", "multiclass-wide-input", "regression-defaults",
        "regression-adamw-cosine-huber-gelu", "regression-lbfgs-sigmoid",
    };

    [Theory]
    [MemberData(nameof(CasesWithoutHeldOutRows))]
    public void Streaming_through_a_buffer_that_holds_every_row_gives_the_in_memory_model_bit_for_bit(string name)
    {
        var streamed = GoldenModelTests.Train(name, o =>
        {
            o.DataLoading = MlpDataLoading.Streaming;
            o.ShuffleBufferSize = 100_000;
        });
        Assert.Equal(GoldenModelTests.ParameterHash(name), GoldenModelTests.HashOf(streamed));
    }
}
