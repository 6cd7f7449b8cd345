using System.Globalization;
using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.RowSources;

namespace MLNetBackprop.MLNet;

/// <summary>
/// A trainer's training or validation rows, read into memory or streamed from their view every pass, with what the
/// trainer needs of them before training (count, storage, label summary).
/// </summary>
internal sealed class TrainingRows
{
    private readonly CursorRowStream? _stream;
    private readonly StreamSummary? _summary;
    private readonly int _shuffleBufferRows;

    private TrainingRows(TrainingSet? set, CursorRowStream? stream, StreamSummary? summary, LabelSummary labels, bool sparse, int shuffleBufferRows)
    {
        Set = set;
        _stream = stream;
        _summary = summary;
        Labels = labels;
        IsSparse = sparse;
        _shuffleBufferRows = shuffleBufferRows;
    }

    /// <summary>Rows held in memory.</summary>
    public static TrainingRows InMemory(TrainingSet set, int classCount)
        => new(set, null, null, LabelSummary.Of(set, classCount), set.IsSparse, 0);

    /// <summary>Rows streamed from <paramref name="stream"/>, as its first pass summarised them.</summary>
    public static TrainingRows Streamed(CursorRowStream stream, StreamSummary summary, bool sparse, int shuffleBufferRows)
        => new(null, stream, summary, summary.Labels, sparse, shuffleBufferRows);

    // The rows when they are held in memory, else null.
    private TrainingSet? Set { get; }
    /// <summary>Number of rows.</summary>
    public long RowCount => Set?.RowCount ?? _summary!.Rows;
    /// <summary>Number of features per row.</summary>
    public int FeatureCount => Set?.FeatureCount ?? _stream!.FeatureCount;
    /// <summary>Whether the rows are trained on as sparse rows.</summary>
    public bool IsSparse { get; }
    /// <summary>The labels' summary (before any <see cref="LabelMap"/>).</summary>
    public LabelSummary Labels { get; }

    /// <summary>The same rows with their labels and weights mapped by <paramref name="map"/>.</summary>
    public TrainingRows WithLabels(LabelMap map) => Set is { } set
        ? new TrainingRows(map.Apply(set), null, null, Labels, IsSparse, 0)
        : new TrainingRows(null, _stream! with { Labels = map }, _summary, Labels, IsSparse, _shuffleBufferRows);

    /// <summary>
    /// The engine's source of these rows. For rank <paramref name="rank"/> of a cluster of <paramref name="ranks"/>,
    /// streamed rows are the rank's share (every rank holds rows in memory whole and computes its part of each batch).
    /// </summary>
    public IRowSource ToRowSource(int rank = 0, int ranks = 1)
    {
        if (Set is { } set)
            return new InMemoryRowSource(set);
        var fingerprint = _stream!.Labels.Fingerprint(_summary!.Fingerprint);
        if (ranks == 1)
            return new StreamedRowSource(_stream, _summary.Rows, IsSparse, fingerprint, _shuffleBufferRows);
        var share = new StreamedRowSource(_stream with { Share = new RankShare(rank, ranks) }, RankRows.CountOf(_summary.Rows, rank, ranks),
            IsSparse, fingerprint, _shuffleBufferRows);
        return new RankRows(share, rank, ranks, _summary.Rows, fingerprint);
    }

    /// <summary>
    /// How the rows are held, for the log: storage, density and size, since they decide training's speed and memory;
    /// for streamed rows that are <paramref name="shuffled"/>, the buffer they are mixed through.
    /// </summary>
    public string Describe(bool shuffled)
    {
        if (_stream is not null)
        {
            var order = shuffled
                ? string.Create(CultureInfo.InvariantCulture, $"through a shuffle buffer of {Math.Min(_shuffleBufferRows, RowCount):N0} rows")
                : "in the data's order";
            return string.Create(CultureInfo.InvariantCulture, $"{(IsSparse ? "sparse" : "dense")} rows streamed ({_summary!.Density:P2} non-zero) {order}");
        }
        return Set!.SparseFeatures is { } sparse
            ? string.Create(CultureInfo.InvariantCulture,
                $"sparse rows ({sparse.Density:P2} non-zero, {sparse.NonZeroCount / (double)Set.RowCount:F0} per row, {sparse.ByteCount / (double)(1 << 20):F1} MB)")
            : "rows";
    }
}
