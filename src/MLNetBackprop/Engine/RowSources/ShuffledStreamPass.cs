using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Randomness;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Engine.RowSources;

/// <summary>
/// A shuffled epoch of a <see cref="StreamedRowSource"/>: rows wait in a buffer of slots, each batch takes random
/// slots of it, and the rows read next take their place, as ML.NET's shuffle transform and TensorFlow's shuffle
/// buffer do. Once the stream is spent, the rows left go out in random order. Every draw is made on the training
/// thread, from the run's generator, so the same seed gives the same batches.
/// </summary>
/// <remarks>
/// When the buffer holds every row, the epoch reads them all first and then reshuffles the run's row order and takes
/// consecutive stretches of it, exactly as <see cref="InMemoryRowSource"/> does: the same seed and rows give the same
/// model bit for bit whether streamed or in memory.
/// </remarks>
internal sealed class ShuffledStreamPass : IRowPass
{
    private readonly StreamedRowSource _source;
    private readonly BatchWorkspace _workspace;
    private readonly RowSlots _buffer;
    private readonly SeededRandom _random;
    private readonly RowPrefetcher _prefetcher;
    private readonly int[] _slots;
    private RowSlots? _chunk;
    private int _chunkRow;
    private long _read;
    private int _live;
    private int _taken;
    private bool _spent;

    /// <summary>
    /// Starts the epoch: reads rows until the buffer is full and, when it holds every row, shuffles
    /// <paramref name="order"/>. Once <paramref name="cancellation"/> is signalled while the buffer fills, the pass
    /// gives no batch.
    /// </summary>
    public ShuffledStreamPass(StreamedRowSource source, BatchWorkspace workspace, RowSlots buffer, int[] order,
        SeededRandom random, int? cursorSeed, CancellationToken cancellation)
    {
        _source = source;
        _workspace = workspace;
        _buffer = buffer;
        _random = random;
        _prefetcher = source.Prefetch(workspace, cursorSeed);
        try
        {
            // A buffer of every row can take a whole pass to fill: a cancelled run stops reading (a batch at a time).
            while (_live < buffer.Capacity && !(_live % workspace.Capacity == 0 && cancellation.IsCancellationRequested) && TryRead(_live))
                _live++;
            if (cancellation.IsCancellationRequested)
            {
                _live = 0;
                _slots = [];
                return;
            }
            if (_live < buffer.Capacity)
                throw source.ChangedRowCount(_read);
            if (source.HoldsEveryRow)
            {
                if (TryRead(slot: -1))
                    throw source.ChangedRowCount(_read);
                random.Shuffle(order);
                _slots = order;
            }
            else
                _slots = Enumerable.Range(0, buffer.Capacity).ToArray();
        }
        catch
        {
            _prefetcher.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public int Next(int maxRows, out double weightSum)
    {
        weightSum = 0;
        var rows = Math.Min(Math.Min(_workspace.Capacity, maxRows), _live);
        if (rows == 0)
            return 0;
        if (_source.HoldsEveryRow)
        {
            weightSum = _workspace.Gather(_buffer, _slots.AsSpan(_taken, rows));
            _taken += rows;
            _live -= rows;
            return rows;
        }
        for (var i = 0; i < rows; i++)
        {
            var j = i + _random.NextInt(_live - i);
            (_slots[i], _slots[j]) = (_slots[j], _slots[i]);
        }
        weightSum = _workspace.Gather(_buffer, _slots.AsSpan(0, rows));
        Refill(rows);
        return rows;
    }

    /// <inheritdoc/>
    public void Dispose() => _prefetcher.Dispose();

    // Reads new rows into the first `rows` slots, just emitted; once the stream is spent, drops the slots left empty.
    private void Refill(int rows)
    {
        for (var i = 0; i < rows; i++)
        {
            if (TryRead(_slots[i]))
                continue;
            Array.Copy(_slots, rows, _slots, i, _live - rows);
            _live -= rows - i;
            if (_read != _source.RowCount)
                throw _source.ChangedRowCount(_read);
            return;
        }
    }

    // Copies the stream's next row into buffer slot `slot` (or only checks that one exists, for slot −1); false when
    // the stream is spent.
    private bool TryRead(int slot)
    {
        if (_spent)
            return false;
        while (_chunk is null || _chunkRow == _chunk.Count)
        {
            if (_chunk is not null)
                _prefetcher.Recycle(_chunk);
            _chunkRow = 0;
            _chunk = _prefetcher.Next();
            if (_chunk is null)
            {
                _spent = true;
                return false;
            }
        }
        if (++_read > _source.RowCount)
            throw _source.ChangedRowCount(_read);
        if (slot >= 0)
            _buffer.CopyFrom(_chunk, _chunkRow, slot);
        _chunkRow++;
        return true;
    }
}
