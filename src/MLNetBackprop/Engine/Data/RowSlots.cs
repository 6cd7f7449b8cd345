namespace MLNetBackprop.Engine.Data;

/// <summary>
/// A fixed number of row slots, each holding one row's features, <see cref="TargetWidth"/> targets and weight, overwritten in place: the
/// chunks a stream is read into and the shuffle buffer rows wait in. Dense slots are row-major in
/// <see cref="DenseFeatures"/>; sparse slots keep each row's non-zeros in arrays of their own, reused while the rows
/// that land in them are of similar sizes (they grow with headroom, and shrink again after an outlier).
/// </summary>
internal sealed class RowSlots : ISparseRows
{
    private readonly int[][]? _indices;
    private readonly float[][]? _values;
    private readonly int[]? _lengths;

    /// <summary>
    /// Allocates <paramref name="capacity"/> slots of <paramref name="width"/> features, dense or
    /// <paramref name="sparse"/>, with <paramref name="targetWidth"/> targets each.
    /// </summary>
    public RowSlots(int capacity, int width, bool sparse, int targetWidth = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetWidth, 1);
        Capacity = capacity;
        Width = width;
        TargetWidth = targetWidth;
        Targets = new float[checked(capacity * targetWidth)];
        Weights = new float[capacity];
        if (sparse)
        {
            _indices = new int[capacity][];
            _values = new float[capacity][];
            _lengths = new int[capacity];
            Array.Fill(_indices, []);
            Array.Fill(_values, []);
        }
        else
            DenseFeatures = new float[checked(capacity * width)];
    }

    /// <summary>Number of slots.</summary>
    public int Capacity { get; }
    /// <summary>Number of features per row.</summary>
    public int Width { get; }
    /// <summary>Whether the slots hold sparse rows.</summary>
    public bool IsSparse => _lengths is not null;
    /// <summary>Row-major features of dense slots [Capacity × Width]; null when sparse.</summary>
    public float[]? DenseFeatures { get; }
    /// <summary>Each slot's targets, row-major [Capacity × <see cref="TargetWidth"/>].</summary>
    public float[] Targets { get; }
    /// <summary>Targets per slot.</summary>
    public int TargetWidth { get; }
    /// <summary>Each slot's example weight (1 where the data has none).</summary>
    public float[] Weights { get; }
    /// <summary>The slots in use when the slots are filled in order, as a stream's chunk is.</summary>
    public int Count { get; set; }

    /// <summary>
    /// Writes a row into <paramref name="slot"/>: its features as the values at <paramref name="indices"/> (strictly
    /// increasing), or as all <see cref="Width"/> values when <paramref name="indices"/> is empty and
    /// <paramref name="values"/> is that long. A sparse slot keeps the non-zero values only.
    /// </summary>
    public void Set(int slot, ReadOnlySpan<int> indices, ReadOnlySpan<float> values, float target, float weight)
        => Set(slot, indices, values, new ReadOnlySpan<float>(in target), weight);

    /// <summary>As <see cref="Set(int, ReadOnlySpan{int}, ReadOnlySpan{float}, float, float)"/>, with <see cref="TargetWidth"/> targets.</summary>
    public void Set(int slot, ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> targets, float weight)
    {
        if (targets.Length != TargetWidth)
            throw new ArgumentException($"{targets.Length} targets for slots of {TargetWidth}.", nameof(targets));
        var dense = indices.IsEmpty && values.Length == Width;
        if (!dense && indices.Length != values.Length)
            throw new ArgumentException($"{indices.Length} indices for {values.Length} values.", nameof(indices));
        targets.CopyTo(Targets.AsSpan(slot * TargetWidth, TargetWidth));
        Weights[slot] = weight;
        if (DenseFeatures is { } features)
        {
            var row = features.AsSpan(slot * Width, Width);
            if (dense)
            {
                values.CopyTo(row);
                return;
            }
            row.Clear();
            for (var k = 0; k < indices.Length; k++)
                row[indices[k]] = values[k];
            return;
        }
        SetNonZeros(slot, indices, values);
    }

    /// <summary>Copies slot <paramref name="from"/> of <paramref name="source"/> (same width and storage) into <paramref name="slot"/>.</summary>
    public void CopyFrom(RowSlots source, int from, int slot)
    {
        if (DenseFeatures is { } features)
        {
            source.DenseFeatures.AsSpan(from * Width, Width).CopyTo(features.AsSpan(slot * Width, Width));
            source.TargetsOf(from).CopyTo(Targets.AsSpan(slot * TargetWidth, TargetWidth));
            Weights[slot] = source.Weights[from];
        }
        else
            Set(slot, source.IndicesOf(from), source.ValuesOf(from), source.TargetsOf(from), source.Weights[from]);
    }

    /// <summary>The targets of <paramref name="slot"/>.</summary>
    public ReadOnlySpan<float> TargetsOf(int slot) => Targets.AsSpan(slot * TargetWidth, TargetWidth);

    /// <summary>Stored values of <paramref name="slot"/>: its non-zeros when sparse, the width when dense.</summary>
    public int StoredCount(int slot) => _lengths?[slot] ?? Width;

    /// <inheritdoc/>
    public ReadOnlySpan<int> IndicesOf(int row) => _indices![row].AsSpan(0, _lengths![row]);

    /// <inheritdoc/>
    public ReadOnlySpan<float> ValuesOf(int row) => _values![row].AsSpan(0, _lengths![row]);

    /// <summary>Bytes the slots take now.</summary>
    public long ByteCount
    {
        get
        {
            long bytes = Capacity * (1L + TargetWidth) * sizeof(float);
            if (DenseFeatures is { } features)
                return bytes + (long)features.Length * sizeof(float);
            for (var s = 0; s < Capacity; s++)
                bytes += _values![s].Length * (long)(sizeof(float) + sizeof(int));
            return bytes;
        }
    }

    // Keeps only the non-zeros (stored zeros of a sparse vector included), as rows read into memory do: a sparse
    // batch's features are the ones its rows use.
    private void SetNonZeros(int slot, ReadOnlySpan<int> indices, ReadOnlySpan<float> values)
    {
        var count = 0;
        foreach (var v in values)
            if (v != 0)
                count++;
        Reserve(slot, count);
        var (slotIndices, slotValues) = (_indices![slot], _values![slot]);
        var k = 0;
        for (var j = 0; j < values.Length; j++)
            if (values[j] != 0)
                (slotIndices[k], slotValues[k++]) = (indices.IsEmpty ? j : indices[j], values[j]);
        _lengths![slot] = count;
    }

    // Room for a row of `length` non-zeros. A slot grows with headroom, so rows of similar sizes reuse it; one left
    // far larger than its row (after an outlier) is shrunk, so the slots together stay within a few times the rows
    // they hold rather than drifting towards the largest row each slot has ever seen.
    private void Reserve(int slot, int length)
    {
        var capacity = _values![slot].Length;
        if (capacity >= length && (capacity <= SmallSlot || capacity <= ShrinkRatio * length))
            return;
        var size = Math.Max(length + length / 2, Math.Min(SmallSlot, Width));
        _values[slot] = new float[size];
        _indices![slot] = new int[size];
    }

    private const int SmallSlot = 64;
    private const int ShrinkRatio = 4;
}
