namespace MLNetBackprop;

/// <summary>Where each rank of a <see cref="MlpOptionsBase.Cluster"/> finds its training rows.</summary>
public enum MlpClusterData
{
    /// <summary>Every rank reads the same view and takes its share of the rows.</summary>
    SameView = 0,

    /// <summary>
    /// Each rank's view holds its own part of the rows (one file per machine, say): the ranks agree on the row
    /// count, the label statistics and the automatic options, and each trains on its own rows.
    /// </summary>
    ViewPerRank = 1,
}
