using MLNetBackprop.Engine.Checkpoints;
using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Randomness;
using MLNetBackprop.Engine.RowSources;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>
/// The rows of a <see cref="TrainingSet"/> as an <see cref="IRowStream"/>, read a row at a time in the set's storage
/// (dense or sparse): in order, or with <see cref="CanShuffle"/> in a permutation the pass's seed fixes. It counts
/// what was opened and read, and can be told to fail, or to give another number of rows, on a chosen pass.
/// </summary>
internal sealed class TrainingSetStream(TrainingSet set) : IRowStream
{
    private readonly object _gate = new();
    private readonly List<int?> _seeds = [];
    private readonly List<long> _rowsRead = [];
    private int _openReaders;

    /// <summary>The rows streamed.</summary>
    public TrainingSet Set { get; } = set ?? throw new ArgumentNullException(nameof(set));

    /// <inheritdoc/>
    public int FeatureCount => Set.FeatureCount;
    /// <inheritdoc/>
    public bool HasWeights => Set.Weights is not null;
    /// <inheritdoc/>
    public bool CanShuffle { get; init; }

    /// <summary>The pass (1 for the first opened) whose reader throws <see cref="Failure"/>; null for none.</summary>
    public int? FailOnPass { get; init; }
    /// <summary>Rows that pass gives before its reader throws.</summary>
    public int FailAfterRows { get; init; }
    /// <summary>What the failing reader throws (the same instance, so a test can see it arrive unchanged).</summary>
    public Exception Failure { get; init; } = new InvalidOperationException("The test stream failed on purpose.");

    /// <summary>The pass (1 for the first opened) that gives <see cref="ChangedRowCount"/> rows instead of the set's.</summary>
    public int? ChangeRowsOnPass { get; init; }
    /// <summary>Rows of the changed pass: fewer than the set's drops the last ones, more repeats the first ones.</summary>
    public int ChangedRowCount { get; init; }

    /// <summary>Called on the reader's thread before each row is read, with the pass number (from 1) and the row's position in it.</summary>
    public Action<int, long>? BeforeRow { get; init; }

    /// <summary>Passes opened so far.</summary>
    public int PassesOpened
    {
        get { lock (_gate) return _seeds.Count; }
    }

    /// <summary>The shuffle seed each pass was opened with, in order.</summary>
    public IReadOnlyList<int?> OpenedSeeds
    {
        get { lock (_gate) return [.. _seeds]; }
    }

    /// <summary>Readers opened and not yet disposed.</summary>
    public int OpenReaders => Volatile.Read(ref _openReaders);

    /// <summary>Rows read so far in pass <paramref name="pass"/> (from 1).</summary>
    public long RowsReadInPass(int pass)
    {
        lock (_gate)
            return _rowsRead[pass - 1];
    }

    /// <summary>A hash of the rows for a checkpoint: the in-memory source's, so both recognise the same data.</summary>
    public ulong Fingerprint => CheckpointStore.HashData(Set);

    /// <summary>A source over this stream, in the set's storage, with a buffer of <paramref name="shuffleBufferRows"/>.</summary>
    public StreamedRowSource Source(int shuffleBufferRows)
        => new(this, Set.RowCount, Set.IsSparse, Fingerprint, shuffleBufferRows);

    /// <inheritdoc/>
    public IRowReader Open(int? shuffleSeed)
    {
        int pass;
        lock (_gate)
        {
            _seeds.Add(shuffleSeed);
            _rowsRead.Add(0);
            pass = _seeds.Count;
        }
        var count = pass == ChangeRowsOnPass ? ChangedRowCount : Set.RowCount;
        var order = Enumerable.Range(0, count).Select(i => i % Set.RowCount).ToArray();
        if (shuffleSeed is { } seed)
        {
            if (!CanShuffle)
                throw new InvalidOperationException("This stream cannot shuffle, yet a pass was opened with a shuffle seed.");
            new SeededRandom(seed).Shuffle(order);
        }
        Interlocked.Increment(ref _openReaders);
        return new Reader(this, pass, order);
    }

    private sealed class Reader(TrainingSetStream stream, int pass, int[] order) : IRowReader
    {
        private int _next;
        private bool _disposed;

        public bool ReadInto(RowSlots rows, int slot)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (pass == stream.FailOnPass && _next == stream.FailAfterRows)
                throw stream.Failure;
            if (_next == order.Length)
                return false;
            stream.BeforeRow?.Invoke(pass, _next);
            var set = stream.Set;
            var row = order[_next++];
            var weight = set.Weights?[row] ?? 1f;
            if (set.SparseFeatures is { } sparse)
                rows.Set(slot, sparse.IndicesOf(row), sparse.ValuesOf(row), set.Targets[row], weight);
            else
                rows.Set(slot, [], set.Features.AsSpan(row * set.FeatureCount, set.FeatureCount), set.Targets[row], weight);
            lock (stream._gate)
                stream._rowsRead[pass - 1]++;
            return true;
        }

        public void Dispose()
        {
            if (_disposed)
                return;
            _disposed = true;
            Interlocked.Decrement(ref stream._openReaders);
        }
    }
}
