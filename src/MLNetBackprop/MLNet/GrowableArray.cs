namespace MLNetBackprop.MLNet;

/// <summary>A list of unmanaged values without the per-element overhead of <see cref="List{T}"/>.</summary>
internal sealed class GrowableArray<T>(int capacity) where T : unmanaged
{
    private T[] _items = new T[Math.Max(capacity, 16)];

    /// <summary>Number of values added.</summary>
    public int Count { get; private set; }

    /// <summary>Appends one value.</summary>
    public void Add(T value)
    {
        Reserve(1);
        _items[Count++] = value;
    }

    /// <summary>Drops the values from <paramref name="count"/> on.</summary>
    public void Truncate(int count) => Count = Math.Min(Count, count);

    /// <summary>A copy of the values, exactly as long as their count.</summary>
    public T[] ToArray() => _items.AsSpan(0, Count).ToArray();

    private void Reserve(int extra)
    {
        if (Count + extra <= _items.Length) return;
        var size = (int)Math.Min(Array.MaxLength, Math.Max((long)_items.Length * 2, (long)Count + extra));
        if (size < Count + extra)
            throw new InvalidOperationException("The training data does not fit in one array; train on fewer rows or features.");
        Array.Resize(ref _items, size);
    }
}
