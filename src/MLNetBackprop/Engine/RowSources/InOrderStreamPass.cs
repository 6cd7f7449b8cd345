using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Engine.RowSources;

/// <summary>A pass of a <see cref="StreamedRowSource"/> in the stream's order: each chunk read ahead is one batch.</summary>
internal sealed class InOrderStreamPass : IRowPass
{
    private readonly StreamedRowSource _source;
    private readonly BatchWorkspace _workspace;
    private readonly RowPrefetcher _prefetcher;
    private readonly int[] _slots;
    private RowSlots? _current;
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
    public int Next(out double weightSum)
    {
        weightSum = 0;
        if (_current is not null)
            _prefetcher.Recycle(_current);
        _current = _prefetcher.Next();
        if (_current is null)
        {
            if (_rows != _source.RowCount)
                throw _source.ChangedRowCount(_rows);
            return 0;
        }
        var count = _current.Count;
        _rows += count;
        if (_rows > _source.RowCount)
            throw _source.ChangedRowCount(_rows);
        weightSum = _workspace.Gather(_current, _slots.AsSpan(0, count));
        return count;
    }

    /// <inheritdoc/>
    public void Dispose() => _prefetcher.Dispose();
}
