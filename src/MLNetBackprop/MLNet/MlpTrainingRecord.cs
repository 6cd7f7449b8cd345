namespace MLNetBackprop.MLNet;

/// <summary>How a model was trained: the per-epoch history and the epoch whose weights it holds.</summary>
internal sealed record MlpTrainingRecord(IReadOnlyList<MlpEpochReport> History, int BestEpoch);
