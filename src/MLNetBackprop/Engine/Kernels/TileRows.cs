namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// How a job split by rows cuts them: at whole row tiles, so no part computes a partial tile another also needs. A
/// product split by columns cuts them the same way, at whole column blocks.
/// </summary>
internal static class TileRows
{
    /// <summary>
    /// Rows [Start, End) of part <paramref name="part"/> of <paramref name="parts"/> over <paramref name="rows"/> rows,
    /// cut at multiples of <paramref name="tileRows"/> (default 8, the AVX-512 and scalar tiles' height).
    /// </summary>
    public static (int Start, int End) Part(int rows, int part, int parts, int tileRows = 8)
    {
        var tiles = (rows + tileRows - 1) / tileRows;
        return (Math.Min(rows, tiles * part / parts * tileRows), Math.Min(rows, tiles * (part + 1) / parts * tileRows));
    }
}
