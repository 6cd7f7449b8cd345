namespace MLNetBackprop.Engine.Data;

/// <summary>
/// Sparse rows readable by index, each as its feature indices (strictly increasing) and their values: what a batch
/// copies from a sparse store, whether the rows lie in one CSR array (<see cref="SparseRows"/>) or in the slots of a
/// shuffle buffer (<see cref="RowSlots"/>).
/// </summary>
internal interface ISparseRows
{
    /// <summary>The feature indices of row <paramref name="row"/>.</summary>
    ReadOnlySpan<int> IndicesOf(int row);

    /// <summary>The values of row <paramref name="row"/>, one per index.</summary>
    ReadOnlySpan<float> ValuesOf(int row);
}
