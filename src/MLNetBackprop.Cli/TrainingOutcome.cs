namespace MLNetBackprop.Cli;

/// <summary>What training produced, for the report.</summary>
internal sealed record TrainingOutcome(
    TaskKind Task,
    long TrainRows,
    long TestRows,
    IReadOnlyList<(string Name, double Value)> Metrics,
    double Seconds,
    string? Note)
{
    /// <summary>Whether Ctrl+C stopped the training early (the model is the best one so far).</summary>
    public bool Stopped { get; init; }
}
