namespace MLNetBackprop.Cli;

/// <summary>What to train: the data, the label, the task and the trainer settings the user chose (null: automatic).</summary>
internal sealed record TrainingRequest(string DataPath, string LabelColumn, int Seed, string? ModelPath)
{
    /// <summary>The column separator, or null to detect it from the header.</summary>
    public char? Separator { get; init; }
    /// <summary>Leave out rows with a wrong field count or an unreadable number instead of failing.</summary>
    public bool SkipBadRows { get; init; }
    /// <summary>Columns to leave out.</summary>
    public IReadOnlyCollection<string> Ignore { get; init; } = [];
    /// <summary>The task, or null to infer it from the label.</summary>
    public TaskKind? Task { get; init; }
    /// <summary>Print the column table and stop before training.</summary>
    public bool ShowColumns { get; init; }
    public int[]? HiddenLayerSizes { get; init; }
    public int? Epochs { get; init; }
    public float? LearningRate { get; init; }
    public int? BatchSize { get; init; }
    /// <summary>Share of the rows held out for the test metrics.</summary>
    public double TestFraction { get; init; } = CliDefaults.TestFraction;
    /// <summary>Which defaults the trainer's automatic options take.</summary>
    public MlpPreset Preset { get; init; }
    /// <summary>Share of the training rows held out inside the trainer for validation metrics and early stopping.</summary>
    public float? ValidationFraction { get; init; }
    /// <summary>The trainer's TrainOnHeldOutRows (null: automatic).</summary>
    public bool? TrainOnHeldOutRows { get; init; }
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
    /// <summary>Stops training after the current mini-batch, keeping the best model so far.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Whether this process prints and writes files: alone, or rank 0 of the cluster (the others hold the same model).</summary>
    public bool IsRoot => Cluster is not { Rank: > 0 };
}
