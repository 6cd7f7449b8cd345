namespace MLNetBackprop.Cli;

/// <summary>What to train: the data, the label, the task and the trainer settings the user chose.</summary>
internal sealed record TrainingRequest(
    CsvTable Table,
    string LabelColumn,
    TaskKind? Task,
    int[]? HiddenLayerSizes,
    int? Epochs,
    float? LearningRate,
    int? BatchSize,
    double TestFraction,
    int Seed,
    string? ModelPath)
{
    /// <summary>Share of the training rows held out inside the trainer for validation metrics and early stopping.</summary>
    public float? ValidationFraction { get; init; }
    /// <summary>The trainer's Tolerance (0 runs every epoch).</summary>
    public float? Tolerance { get; init; }
    /// <summary>File for resumable training checkpoints.</summary>
    public string? CheckpointPath { get; init; }
    /// <summary>Epochs between checkpoints.</summary>
    public int? CheckpointEveryEpochs { get; init; }
}
