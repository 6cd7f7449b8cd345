namespace MLNetBackprop.Engine.Checkpoints;

/// <summary>
/// A 64-bit FNV-1a hash built a 32-bit word at a time: how a checkpoint recognises its data, whether the rows are all
/// in memory (<see cref="CheckpointStore.HashData"/>) or stream past a row at a time.
/// </summary>
internal sealed class DataFingerprint(ulong start = 14695981039346656037UL)
{
    /// <summary>The hash so far (FNV-1a's offset basis, or the given start).</summary>
    public ulong Value { get; private set; } = start;

    /// <summary>Adds a row: its non-zero features, target and weight.</summary>
    public void AddRow(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, float target, float weight)
    {
        Add((uint)indices.Length);
        Add(indices);
        Add(values);
        Add(target);
        Add(weight);
    }

    /// <summary>Adds the words of <paramref name="values"/>.</summary>
    public void Add(ReadOnlySpan<int> values)
    {
        foreach (var value in values)
            Add((uint)value);
    }

    /// <summary>Adds the bits of <paramref name="values"/>.</summary>
    public void Add(ReadOnlySpan<float> values)
    {
        foreach (var value in values)
            Add(value);
    }

    /// <summary>Adds the bits of <paramref name="value"/>.</summary>
    public void Add(float value) => Add(BitConverter.SingleToUInt32Bits(value));

    /// <summary>Adds one word.</summary>
    public void Add(uint word) => Value = (Value ^ word) * 1099511628211UL;
}
