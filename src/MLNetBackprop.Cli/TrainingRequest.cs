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
    string? ModelPath);

/// <summary>What training produced, for the report.</summary>
internal sealed record TrainingOutcome(
    TaskKind Task,
    long TrainRows,
    long TestRows,
    IReadOnlyList<(string Name, double Value)> Metrics,
    double Seconds,
    string? Note);
