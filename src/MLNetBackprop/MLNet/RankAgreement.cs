using MLNetBackprop.Engine.Checkpoints;
using MLNetBackprop.Engine.Collective;

namespace MLNetBackprop.MLNet;

/// <summary>
/// What the ranks of a cluster whose views hold their own rows (<see cref="MlpClusterData.ViewPerRank"/>) must agree on
/// before they train together: row counts, label statistics, the automatic choices and the data's fingerprint. Every
/// rank makes the same calls in the same order, and every answer is the same on every rank.
/// </summary>
internal sealed class RankAgreement(ITrainingCluster cluster)
{
    private readonly ClusterCollective _collective = new(cluster);

    /// <summary>This rank.</summary>
    public int Rank => cluster.Rank;
    /// <summary>The number of ranks.</summary>
    public int Size => cluster.Size;

    /// <summary>Every rank's <paramref name="mine"/>, in rank order.</summary>
    public double[] Gather(ReadOnlySpan<double> mine) => RunAgreement.Gather(_collective, mine);

    /// <summary>Every rank's row count, in rank order.</summary>
    public long[] Counts(long mine) => Array.ConvertAll(Gather([mine]), c => (long)c);

    /// <summary>Whether every rank passes true.</summary>
    public bool All(bool mine) => Gather([mine ? 1 : 0]).All(v => v > 0);

    /// <summary>Rank 0's <paramref name="mine"/>.</summary>
    public bool Root(bool mine) => Gather([mine ? 1 : 0])[0] > 0;

    /// <summary>One fingerprint of every rank's <paramref name="mine"/>, in rank order.</summary>
    public ulong Combine(ulong mine)
    {
        var combined = new DataFingerprint();
        foreach (var hash in RunAgreement.GatherHashes(_collective, mine))
        {
            combined.Add((uint)(hash >> 32));
            combined.Add((uint)hash);
        }
        return combined.Value;
    }

    /// <summary>The label summary of every rank's rows: the ranks' summaries merged in rank order.</summary>
    public LabelSummary Merge(LabelSummary mine) => LabelSummary.Merge(Gather(mine.ToValues()), mine.ClassRows.Length, cluster.Size);
}
