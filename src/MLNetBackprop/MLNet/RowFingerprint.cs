namespace MLNetBackprop.MLNet;

/// <summary>
/// A 64-bit FNV-1a hash of rows, a 32-bit word at a time, built as they stream past: how a checkpoint of a streamed run
/// recognises its data without holding it.
/// </summary>
internal sealed class RowFingerprint(ulong start = 14695981039346656037UL)
{
    /// <summary>The hash so far (FNV-1a's offset basis, or the given start).</summary>
    public ulong Value { get; private set; } = start;

    /// <summary>Adds a row: its non-zero features, target and weight.</summary>
    public void Add(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, float target, float weight)
    {
        Add((uint)indices.Length);
        foreach (var index in indices)
            Add((uint)index);
        foreach (var value in values)
            Add(BitConverter.SingleToUInt32Bits(value));
        Add(BitConverter.SingleToUInt32Bits(target));
        Add(BitConverter.SingleToUInt32Bits(weight));
    }

    private void Add(uint word) => Value = (Value ^ word) * 1099511628211UL;
}
