using MLNetBackprop.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace MLNetBackprop;

/// <summary>How a model was trained: the per-epoch history and the epoch whose weights it holds.</summary>
internal sealed record MlpTrainingRecord(IReadOnlyList<MlpEpochReport> History, int BestEpoch);
