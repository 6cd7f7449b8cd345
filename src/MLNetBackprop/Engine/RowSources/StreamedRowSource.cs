using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Randomness;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Engine.RowSources;

/// <summary>
/// Rows read from an <see cref="IRowStream"/> pass after pass, never all held at once: each pass is read ahead on a
/// thread of its own (<see cref="RowPrefetcher"/>) and, for a shuffled epoch, mixed through a buffer of
/// <see cref="ShuffleBufferRows"/> rows (<see cref="ShuffledStreamPass"/>). Memory is the buffer plus a few chunks,
/// whatever the number of rows.
/// </summary>
/// <remarks>
/// The row count, storage and fingerprint come from a first pass the caller has made (the ML.NET bridge counts and
/// checks the rows then); every later pass must yield the same number of rows, or it fails.
/// </remarks>
internal sealed class StreamedRowSource : IRowSource
{
    private RowSlots? _buffer;

    /// <summary>
    /// A source over <paramref name="stream"/>, whose passes yield <paramref name="rowCount"/> rows, gathered dense or
    /// <paramref name="sparse"/>, mixed through a buffer of <paramref name="shuffleBufferRows"/> rows.
    /// </summary>
    public StreamedRowSource(IRowStream stream, long rowCount, bool sparse, ulong fingerprint, int shuffleBufferRows)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(shuffleBufferRows, 1);
        Stream = stream;
        RowCount = rowCount;
        IsSparse = sparse;
        Fingerprint = fingerprint;
        ShuffleBufferRows = (int)Math.Min(shuffleBufferRows, rowCount);
    }


    /// <summary>The stream read.</summary>
    public IRowStream Stream { get; }
    /// <summary>Rows the shuffle buffer holds: the option asked for, or every row when there are fewer.</summary>
    public int ShuffleBufferRows { get; }
    /// <inheritdoc/>
    public int FeatureCount => Stream.FeatureCount;
    /// <inheritdoc/>
    public bool IsSparse { get; }
    /// <inheritdoc/>
    public bool HasWeights => Stream.HasWeights;
    /// <inheritdoc/>
    public long RowCount { get; }
    /// <inheritdoc/>
    public ulong Fingerprint { get; }

    /// <summary>Whether the shuffle buffer holds every row, so an epoch shuffles them all as rows in memory are.</summary>
    public bool HoldsEveryRow => ShuffleBufferRows == RowCount;

    /// <inheritdoc/>
    public int OrderLength => HoldsEveryRow ? ShuffleBufferRows : 0;

    /// <inheritdoc/>
    public IRowPass StartEpoch(BatchWorkspace workspace, int[] order, SeededRandom random, bool shuffle, CancellationToken cancellation = default)
    {
        if (!shuffle)
            return StartInOrder(workspace);
        _buffer ??= new RowSlots(ShuffleBufferRows, FeatureCount, IsSparse);
        // When the buffer holds only part of the rows, a stream that can shuffle mixes them across the whole data first.
        int? cursorSeed = !HoldsEveryRow && Stream.CanShuffle ? (int)(random.NextUInt64() >> 33) : null;
        return new ShuffledStreamPass(this, workspace, _buffer, order, random, cursorSeed, cancellation);
    }

    /// <inheritdoc/>
    public IRowPass StartInOrder(BatchWorkspace workspace) => new InOrderStreamPass(this, workspace);

    /// <summary>Reads a pass of the stream ahead into chunks of one batch.</summary>
    internal RowPrefetcher Prefetch(BatchWorkspace workspace, int? cursorSeed)
        => new(Stream, workspace.Capacity, IsSparse, cursorSeed);

    /// <summary>The error for a pass that yields another number of rows than the first.</summary>
    internal InvalidOperationException ChangedRowCount(long rows) => new(
        $"A pass over the streamed data gave {rows}{(rows > RowCount ? " or more" : "")} rows, but the first pass gave {RowCount}. " +
        "Streaming reads the data once per epoch, so every pass must give the same rows; if the data is being changed while " +
        "training reads it, train on a copy.");
}
