namespace MLNetBackprop.Engine.Data;

/// <summary>
/// Feature rows in compressed sparse row form: the non-zero values of row r are
/// <c>Values[RowStarts[r]..RowStarts[r + 1]]</c> at the feature indices <c>Indices[...]</c> of the same range, strictly
/// increasing within a row. Memory is proportional to the non-zeros, not to the width.
/// </summary>
internal sealed class SparseRows : ISparseRows
{
    /// <summary>
    /// The density (stored values over all cells) below which training keeps rows sparse: under it the first layer's
    /// work on the non-zeros alone, and the memory of values plus indices, beat the dense product over every cell
    /// (docs/benchmarks.md has the measurement).
    /// </summary>
    public const double DensityThreshold = 0.15;

    /// <summary>
    /// Rows read before their density is taken to speak for the data: where readers decide how to collect rows that
    /// are still arriving, and how often they look again.
    /// </summary>
    public const int DensitySampleRows = 4096;

    /// <summary>Stored values over all cells of <paramref name="rows"/> rows of <paramref name="width"/> features, 0 for no rows.</summary>
    public static double DensityOf(long nonZeros, long rows, int width) => rows == 0 ? 0 : nonZeros / ((double)rows * width);

    /// <summary>Whether rows of <paramref name="density"/> are trained on as sparse rows (below <see cref="DensityThreshold"/>).</summary>
    public static bool TrainsSparse(double density) => density < DensityThreshold;

    /// <summary>
    /// Wraps the arrays without copying, after checking them: <paramref name="rowStarts"/> starts at 0, never
    /// decreases and ends at the number of values; every row's indices are strictly increasing and below
    /// <paramref name="width"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The arrays do not describe valid rows; the message names the first bad row.</exception>
    public SparseRows(float[] values, int[] indices, int[] rowStarts, int width)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(rowStarts);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (values.Length != indices.Length)
            throw new ArgumentException($"{values.Length} values but {indices.Length} indices.", nameof(indices));
        if (rowStarts.Length == 0 || rowStarts[0] != 0 || rowStarts[^1] != values.Length)
            throw new ArgumentException($"The row starts must begin at 0 and end at the number of values ({values.Length}).", nameof(rowStarts));
        Values = values;
        Indices = indices;
        RowStarts = rowStarts;
        Width = width;
        for (var r = 0; r < RowCount; r++)
            CheckRow(r);
    }

    /// <summary>The non-zero values, row after row.</summary>
    public float[] Values { get; }
    /// <summary>The feature index of each value.</summary>
    public int[] Indices { get; }
    /// <summary>Where each row's values start, and one more entry: the number of values.</summary>
    public int[] RowStarts { get; }
    /// <summary>Number of features per row.</summary>
    public int Width { get; }
    /// <summary>Number of rows.</summary>
    public int RowCount => RowStarts.Length - 1;
    /// <summary>Number of stored values.</summary>
    public int NonZeroCount => Values.Length;
    /// <summary>Stored values over all cells, in [0, 1].</summary>
    public double Density => DensityOf(NonZeroCount, RowCount, Width);
    /// <summary>Bytes the three arrays take.</summary>
    public long ByteCount => (long)NonZeroCount * (sizeof(float) + sizeof(int)) + (long)RowStarts.Length * sizeof(int);

    /// <summary>The feature indices of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<int> IndicesOf(int row) => Indices.AsSpan(RowStarts[row], RowStarts[row + 1] - RowStarts[row]);

    /// <summary>The values of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> ValuesOf(int row) => Values.AsSpan(RowStarts[row], RowStarts[row + 1] - RowStarts[row]);

    /// <summary>The rows of a row-major dense matrix, keeping the values that are not zero.</summary>
    public static SparseRows FromDense(ReadOnlySpan<float> features, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        var rows = features.Length / width;
        var count = 0;
        foreach (var v in features)
            if (v != 0)
                count++;
        var values = new float[count];
        var indices = new int[count];
        var starts = new int[rows + 1];
        var k = 0;
        for (var r = 0; r < rows; r++)
        {
            var row = features.Slice(r * width, width);
            for (var j = 0; j < width; j++)
                if (row[j] != 0)
                    (values[k], indices[k++]) = (row[j], j);
            starts[r + 1] = k;
        }
        return new SparseRows(values, indices, starts, width);
    }

    /// <summary>The rows as a row-major dense matrix [rows × width].</summary>
    public float[] ToDense()
    {
        var dense = new float[checked(RowCount * Width)];
        for (var r = 0; r < RowCount; r++)
        {
            var indices = IndicesOf(r);
            var values = ValuesOf(r);
            for (var k = 0; k < indices.Length; k++)
                dense[r * Width + indices[k]] = values[k];
        }
        return dense;
    }

    /// <summary>The rows whose positions in this set are true in <paramref name="keep"/>, in order.</summary>
    public SparseRows Subset(ReadOnlySpan<bool> keep)
    {
        var count = 0;
        var rows = 0;
        for (var r = 0; r < RowCount; r++)
            if (keep[r])
            {
                count += RowStarts[r + 1] - RowStarts[r];
                rows++;
            }
        var values = new float[count];
        var indices = new int[count];
        var starts = new int[rows + 1];
        var k = 0;
        for (var r = 0; r < RowCount; r++)
        {
            if (!keep[r])
                continue;
            ValuesOf(r).CopyTo(values.AsSpan(starts[k]));
            IndicesOf(r).CopyTo(indices.AsSpan(starts[k]));
            starts[k + 1] = starts[k] + (RowStarts[r + 1] - RowStarts[r]);
            k++;
        }
        return new SparseRows(values, indices, starts, Width);
    }

    private void CheckRow(int row)
    {
        var (start, end) = (RowStarts[row], RowStarts[row + 1]);
        if (end < start || end > Values.Length)
            throw new ArgumentException($"Row {row} starts at {start} and ends at {end}; row starts must not decrease.", nameof(RowStarts));
        var previous = -1;
        for (var k = start; k < end; k++)
        {
            var index = Indices[k];
            if (index <= previous || index >= Width)
            {
                var problem = index >= Width || index < 0 ? $"has feature index {index} outside 0..{Width - 1}"
                    : index == previous ? $"repeats feature {index}"
                    : $"lists feature {index} after {previous}";
                throw new ArgumentException($"Sparse row {row} {problem}; each row's feature indices must be distinct and increasing.", "indices");
            }
            previous = index;
        }
    }
}
