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
    private readonly bool _storedSparse;

    private TrainingRows(TrainingSet? set, CursorRowStream? stream, StreamSummary? summary, LabelSummary labels, bool sparse, int shuffleBufferRows)
    {
        Set = set;
        _stream = stream;
        _summary = summary;
        Labels = labels;
        IsSparse = sparse;
        _storedSparse = sparse;
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
    /// <summary>Number of rows: this view's, or every rank's once they agreed (<see cref="AgreedAcross"/>).</summary>
    public long RowCount => _rowsPerRank?.Sum() ?? LocalRowCount;
    private long LocalRowCount => Set?.RowCount ?? _summary!.Rows;

    // Every rank's row count and the ranks' agreement, when the rows are one rank's own part of the data.
    private long[]? _rowsPerRank;
    private RankAgreement? _agreement;
    /// <summary>Number of features per row.</summary>
    public int FeatureCount => Set?.FeatureCount ?? _stream!.FeatureCount;
    /// <summary>Whether the rows are trained on as sparse rows (on a cluster that agreed, as rank 0's are).</summary>
    public bool IsSparse { get; private set; }
    /// <summary>The labels' summary (before any <see cref="LabelMap"/>; on a cluster that agreed, of every rank's rows).</summary>
    public LabelSummary Labels { get; private set; }

    /// <summary>
    /// Every training row in memory, in the order they came, when these rows are what is left of them after an
    /// automatic hold-out whose rows training then uses too (see <see cref="MlpOptionsBase.TrainOnHeldOutRows"/>);
    /// otherwise null. Mapped along with these rows.
    /// </summary>
    public TrainingRows? AllRows { get; private set; }

    /// <summary>These rows, with <paramref name="all"/> as <see cref="AllRows"/>.</summary>
    public TrainingRows WithAllRows(TrainingRows? all)
    {
        var rows = (TrainingRows)MemberwiseClone();
        rows.AllRows = all;
        return rows;
    }

    /// <summary>
    /// The same rows as one rank's own part of the data (<see cref="MlpClusterData.ViewPerRank"/>), with the row count,
    /// label summary and sparseness every rank agrees on.
    /// </summary>
    public TrainingRows AgreedAcross(RankAgreement agreement)
    {
        var agreed = (TrainingRows)MemberwiseClone();
        agreed._agreement = agreement;
        agreed._rowsPerRank = agreement.Counts(LocalRowCount);
        agreed.Labels = agreement.Merge(Labels);
        agreed.IsSparse = agreement.Root(IsSparse);
        return agreed;
    }

    /// <summary>
    /// The rows in memory, for the trainers of vector labels, which map their targets themselves (such rows are never
    /// streamed; see <see cref="RowLoader"/>).
    /// </summary>
    public TrainingSet InMemorySet => Set ?? throw new InvalidOperationException("The rows are streamed, not in memory.");

    /// <summary>The same rows with their labels and weights mapped by <paramref name="map"/>.</summary>
    public TrainingRows WithLabels(LabelMap map)
    {
        var mapped = Set is { } set
            ? new TrainingRows(map.Apply(set), null, null, Labels, _storedSparse, 0)
            : new TrainingRows(null, _stream! with { Labels = map }, _summary, Labels, _storedSparse, _shuffleBufferRows);
        (mapped._rowsPerRank, mapped._agreement, mapped.IsSparse) = (_rowsPerRank, _agreement, IsSparse);
        mapped.AllRows = AllRows?.WithLabels(map);
        return mapped;
    }

    /// <summary>
    /// The engine's source of these rows. For rank <paramref name="rank"/> of a cluster of <paramref name="ranks"/>,
    /// streamed rows are the rank's share (every rank holds rows in memory whole and computes its part of each batch).
    /// </summary>
    /// <remarks>
    /// Rows that are one rank's own part (<see cref="AgreedAcross"/>) are that rank's <see cref="RankRows"/>, with a
    /// fingerprint of every rank's rows (a collective call: every rank asks at the same point).
    /// </remarks>
    public IRowSource ToRowSource(int rank = 0, int ranks = 1)
    {
        if (_agreement is { } agreement)
        {
            var local = ViewRows();
            return new RankRows(local, agreement.Rank, _rowsPerRank!, agreement.Combine(local.Fingerprint), IsSparse);
        }
        if (Set is not null || ranks == 1)
            return ViewRows();
        var fingerprint = StreamFingerprint;
        var share = new StreamedRowSource(_stream! with { Share = new RankShare(rank, ranks) }, RankRows.CountOf(_summary!.Rows, rank, ranks),
            _storedSparse, fingerprint, _shuffleBufferRows);
        return RankRows.Interleaved(share, rank, ranks, _summary.Rows, fingerprint);
    }

    // Every row of this view, in memory or streamed.
    private IRowSource ViewRows() => Set is { } set
        ? new InMemoryRowSource(set)
        : new StreamedRowSource(_stream!, _summary!.Rows, _storedSparse, StreamFingerprint, _shuffleBufferRows);

    // The streamed rows' fingerprint, their labels as mapped included.
    private ulong StreamFingerprint => _stream!.Labels.Fingerprint(_summary!.Fingerprint);

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
