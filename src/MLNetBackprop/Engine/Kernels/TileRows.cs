namespace MLNetBackprop.Engine.Kernels;

/// <summary>How a job split by rows cuts them: at whole 8-row tiles, so no part computes a partial tile another also needs.</summary>
internal static class TileRows
{
    /// <summary>Rows [Start, End) of part <paramref name="part"/> of <paramref name="parts"/> over <paramref name="rows"/> rows.</summary>
    public static (int Start, int End) Part(int rows, int part, int parts)
    {
        var tiles = (rows + 7) / 8;
        return (Math.Min(rows, tiles * part / parts * 8), Math.Min(rows, tiles * (part + 1) / parts * 8));
    }
}
