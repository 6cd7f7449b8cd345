using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Engine.RowSources;

/// <summary>
/// A pass of a <see cref="StreamedRowSource"/> in the stream's order: each chunk read ahead is one batch; a batch of a
/// given size is put together from the chunks, across their boundaries.
/// </summary>
internal sealed class InOrderStreamPass : IRowPass
{
    private readonly StreamedRowSource _source;
    private readonly BatchWorkspace _workspace;
    private readonly RowPrefetcher _prefetcher;
    private readonly int[] _slots;
    private RowSlots? _current;
    private RowSlots? _staging;
    private int _taken;
    private long _rows;

    /// <summary>Starts reading the pass.</summary>
    public InOrderStreamPass(StreamedRowSource source, BatchWorkspace workspace)
    {
        _source = source;
        _workspace = workspace;
        _slots = Enumerable.Range(0, workspace.Capacity).ToArray();
        _prefetcher = source.Prefetch(workspace, cursorSeed: null);
    }

    /// <inheritdoc/>
    public int Next(int maxRows, out double weightSum)
    {
        weightSum = 0;
        if (maxRows >= _workspace.Capacity && (_current is null || _taken == _current.Count))
        {
            if (!NextChunk())
                return 0;
            _taken = _current!.Count;
            weightSum = _workspace.Gather(_current, _slots.AsSpan(0, _current.Count));
            return _current.Count;
        }
        // A smaller batch: its rows, copied from one chunk or two into a staging chunk, then gathered.
        _staging ??= new RowSlots(_workspace.Capacity, _source.FeatureCount, _source.IsSparse);
        var (count, limit) = (0, Math.Min(maxRows, _workspace.Capacity));
        while (count < limit && (_current is not null && _taken < _current.Count || NextChunk()))
            _staging.CopyFrom(_current!, _taken++, count++);
        weightSum = count == 0 ? 0 : _workspace.Gather(_staging, _slots.AsSpan(0, count));
        return count;
    }

    // Moves to the next chunk read ahead; false when the pass is over (after checking it gave every row).
    private bool NextChunk()
    {
        if (_current is not null)
            _prefetcher.Recycle(_current);
        _current = _prefetcher.Next();
        _taken = 0;
        if (_current is null)
        {
            if (_rows != _source.RowCount)
                throw _source.ChangedRowCount(_rows);
            return false;
        }
        _rows += _current.Count;
        if (_rows > _source.RowCount)
            throw _source.ChangedRowCount(_rows);
        return true;
    }

    /// <inheritdoc/>
    public void Dispose() => _prefetcher.Dispose();
}
