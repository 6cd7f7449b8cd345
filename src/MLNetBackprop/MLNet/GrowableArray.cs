namespace MLNetBackprop.MLNet;

/// <summary>
/// A list of unmanaged values grown in fixed blocks, so that reading a large data set never holds two copies of what
/// was read so far (as doubling an array does) and <see cref="ToArray"/> is the only full copy.
/// </summary>
internal sealed class GrowableArray<T> where T : unmanaged
{
    // 64K values per block: large enough that the block list stays short, small enough to waste little in the last.
    private const int BlockLength = 1 << 16;
    private readonly List<T[]> _blocks = [];

    /// <summary>Number of values added.</summary>
    public int Count { get; private set; }

    /// <summary>Appends one value.</summary>
    public void Add(T value)
    {
        if (Count == _blocks.Count * BlockLength)
        {
            if (Count > Array.MaxLength - BlockLength)
                throw new InvalidOperationException("The training data does not fit in one array; train on fewer rows or features.");
            _blocks.Add(new T[BlockLength]);
        }
        _blocks[Count / BlockLength][Count % BlockLength] = value;
        Count++;
    }

    /// <summary>Drops the values from <paramref name="count"/> on.</summary>
    public void Truncate(int count) => Count = Math.Min(Count, count);

    /// <summary>The value at <paramref name="index"/> (below <see cref="Count"/>).</summary>
    public T this[int index] => _blocks[index / BlockLength][index % BlockLength];

    /// <summary>The values in one array, exactly as long as their count.</summary>
    public T[] ToArray()
    {
        var result = GC.AllocateUninitializedArray<T>(Count);
        for (var b = 0; b * BlockLength < Count; b++)
            _blocks[b].AsSpan(0, Math.Min(BlockLength, Count - b * BlockLength)).CopyTo(result.AsSpan(b * BlockLength));
        return result;
    }

    /// <summary><see cref="ToArray"/>, then lets the blocks go, so the values are not held twice for longer than the copy.</summary>
    public T[] Drain()
    {
        var result = ToArray();
        _blocks.Clear();
        Count = 0;
        return result;
    }
}
