using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.Engine.RowSources;

/// <summary>
/// Reads one pass of an <see cref="IRowStream"/> on a thread of its own into a few chunks of rows, so that decoding
/// the next rows overlaps the arithmetic on the current ones. The chunks circulate: the reader fills a free one, the
/// consumer takes it, uses its rows and hands it back, so memory stays at a few chunks whatever the data's size.
/// </summary>
internal sealed class RowPrefetcher : IDisposable
{
    private readonly BlockingCollection<RowSlots> _ready = new(new ConcurrentQueue<RowSlots>());
    private readonly BlockingCollection<RowSlots> _free = new(new ConcurrentQueue<RowSlots>());
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private Exception? _failure;
    private bool _disposed;

    /// <summary>
    /// Starts reading a pass of <paramref name="stream"/> (shuffled by <paramref name="shuffleSeed"/> when given) into
    /// <paramref name="chunks"/> chunks of <paramref name="chunkRows"/> dense or <paramref name="sparse"/> rows.
    /// </summary>
    public RowPrefetcher(IRowStream stream, int chunkRows, bool sparse, int? shuffleSeed, int chunks = 3)
    {
        for (var i = 0; i < chunks; i++)
            _free.Add(new RowSlots(chunkRows, stream.FeatureCount, sparse));
        _thread = new Thread(() => Read(stream, shuffleSeed)) { IsBackground = true, Name = "MLP row reader" };
        _thread.Start();
    }

    /// <summary>
    /// The next chunk of rows (its <see cref="RowSlots.Count"/> rows in the stream's order), or null at the end of the
    /// pass; waits while the reader is behind. Hand it back with <see cref="Recycle"/> once its rows are used.
    /// </summary>
    /// <exception cref="InvalidOperationException">Reading failed; the reader's exception, rethrown here.</exception>
    public RowSlots? Next()
    {
        if (_ready.TryTake(out var chunk, Timeout.Infinite))
            return chunk;
        if (_failure is { } failure)
            ExceptionDispatchInfo.Throw(failure);
        return null;
    }

    /// <summary>Returns a chunk taken from <see cref="Next"/> for the reader to fill again.</summary>
    public void Recycle(RowSlots chunk) => _free.Add(chunk);

    /// <summary>Stops the reader (closing the stream's pass) and waits for it; later calls do nothing.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
        _ready.Dispose();
        _free.Dispose();
    }

    private void Read(IRowStream stream, int? shuffleSeed)
    {
        try
        {
            using var reader = stream.Open(shuffleSeed);
            while (true)
            {
                var chunk = _free.Take(_stop.Token);
                chunk.Count = 0;
                while (chunk.Count < chunk.Capacity && reader.ReadInto(chunk, chunk.Count))
                    chunk.Count++;
                if (chunk.Count > 0)
                    _ready.Add(chunk);
                if (chunk.Count < chunk.Capacity)
                    return;
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _failure = e;
        }
        finally
        {
            _ready.CompleteAdding();
        }
    }
}
