namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// A view of sparse rows in compressed sparse row form: row r's non-zero values are
/// <c>Values[RowStarts[r]..RowStarts[r + 1]]</c> at the feature indices of the same range of <c>Indices</c>,
/// strictly increasing within the row.
/// </summary>
internal readonly ref struct CsrSpan
{
    /// <summary>Views the arrays; <paramref name="rowStarts"/> has one entry more than there are rows.</summary>
    public CsrSpan(ReadOnlySpan<float> values, ReadOnlySpan<int> indices, ReadOnlySpan<int> rowStarts)
    {
        if (values.Length < indices.Length || rowStarts.IsEmpty || rowStarts[^1] > indices.Length)
            throw new ArgumentException("The row starts reach past the values.", nameof(rowStarts));
        Values = values;
        Indices = indices;
        RowStarts = rowStarts;
    }

    /// <summary>The non-zero values, row after row.</summary>
    public ReadOnlySpan<float> Values { get; }
    /// <summary>The feature index of each value.</summary>
    public ReadOnlySpan<int> Indices { get; }
    /// <summary>Where each row starts, and one more entry where the last ends.</summary>
    public ReadOnlySpan<int> RowStarts { get; }
    /// <summary>Number of rows.</summary>
    public int RowCount => RowStarts.Length - 1;
}
