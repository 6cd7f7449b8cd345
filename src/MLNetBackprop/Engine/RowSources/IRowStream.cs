namespace MLNetBackprop.Engine.RowSources;

/// <summary>
/// Rows that can be read again, pass after pass, without being held in memory: the ML.NET bridge's cursor over an
/// <c>IDataView</c>. Every pass yields the same rows; a shuffled pass may yield them in another order.
/// </summary>
internal interface IRowStream
{
    /// <summary>Number of features per row.</summary>
    int FeatureCount { get; }

    /// <summary>Whether the rows carry example weights (otherwise every weight is 1).</summary>
    bool HasWeights { get; }

    /// <summary>Whether <see cref="Open"/> can give the rows in a random order.</summary>
    bool CanShuffle { get; }

    /// <summary>
    /// Opens a pass: in the stream's order, or, given <paramref name="shuffleSeed"/> and <see cref="CanShuffle"/>, in
    /// a random order that the seed fixes.
    /// </summary>
    IRowReader Open(int? shuffleSeed);
}
