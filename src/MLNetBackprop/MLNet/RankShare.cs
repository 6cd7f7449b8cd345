namespace MLNetBackprop.MLNet;

/// <summary>
/// One rank's share of the rows a pass keeps, for a cluster that streams: the row at place p among them (counted in
/// the view's order) belongs to rank p mod <see cref="Size"/>.
/// </summary>
internal readonly record struct RankShare(int Rank, int Size)
{
    /// <summary>Whether the row at place <paramref name="place"/> (0-based) is this rank's.</summary>
    public bool Holds(long place) => place % Size == Rank;
}
