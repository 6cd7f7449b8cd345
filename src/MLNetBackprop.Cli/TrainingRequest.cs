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
    /// <summary>The trainer's GradientShards: the model depends on it, not on the number of processes.</summary>
    public int? GradientShards { get; init; }
    /// <summary>The processes training together (<c>--distributed</c>), or null to train alone.</summary>
    public ITrainingCluster? Cluster { get; init; }

    /// <summary>Whether this process prints and writes files: alone, or rank 0 of the cluster (the others hold the same model).</summary>
    public bool IsRoot => Cluster is not { Rank: > 0 };
}
