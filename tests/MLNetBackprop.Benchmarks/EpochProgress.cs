namespace MLNetBackprop.Benchmarks;

/// <summary>
/// Records each epoch report on the training thread as it arrives (<see cref="Progress{T}"/> would post it to the
/// thread pool, after the clocks read in it have moved on).
/// </summary>
internal sealed class EpochProgress(Action<MlpEpochReport> report) : IProgress<MlpEpochReport>
{
    /// <inheritdoc/>
    public void Report(MlpEpochReport value) => report(value);
}
