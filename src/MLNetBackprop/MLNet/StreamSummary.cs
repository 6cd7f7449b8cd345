using MLNetBackprop.Engine.Checkpoints;
using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.MLNet;

/// <summary>What a first pass learns of a stream's rows: their number, non-zeros, labels and fingerprint.</summary>
internal sealed class StreamSummary(int featureCount, int classCount)
{
    private readonly DataFingerprint _fingerprint = new();

    /// <summary>Number of rows.</summary>
    public long Rows => Labels.Rows;
    /// <summary>Number of non-zero feature values.</summary>
    public long NonZeros { get; private set; }
    /// <summary>The labels' summary.</summary>
    public LabelSummary Labels { get; } = new(classCount);
    /// <summary>The rows' fingerprint.</summary>
    public ulong Fingerprint => _fingerprint.Value;
    /// <summary>Stored values over all cells.</summary>
    public double Density => SparseRows.DensityOf(NonZeros, Rows, featureCount);
    /// <summary>Whether the rows are sparse enough to be trained on as sparse rows.</summary>
    public bool IsSparse => SparseRows.TrainsSparse(Density);

    /// <summary>Adds the row in slot <paramref name="slot"/> of sparse <paramref name="rows"/>.</summary>
    public void Add(RowSlots rows, int slot)
    {
        NonZeros += rows.StoredCount(slot);
        Labels.Add(rows.Targets[slot], rows.Weights[slot]);
        _fingerprint.AddRow(rows.IndicesOf(slot), rows.ValuesOf(slot), rows.Targets[slot], rows.Weights[slot]);
    }

    /// <summary>
    /// Reads one pass of <paramref name="stream"/>: the summary of its rows, of those its selection keeps for training
    /// and of those it holds out, the held-out rows themselves while they take at most
    /// <paramref name="heldOutBudgetBytes"/> (else null), and the reader (for its skip counts). With
    /// <paramref name="heldOutOnlyIfSparse"/> (a hold-out that only sparse rows get), the held-out rows are let go as
    /// soon as the rows read look dense.
    /// </summary>
    public static (StreamSummary All, StreamSummary Training, StreamSummary HeldOut, RowCollector? HeldOutRows, CursorRowReader Reader) Measure(
        CursorRowStream stream, int classCount, long heldOutBudgetBytes = 0, bool heldOutOnlyIfSparse = false)
    {
        var width = stream.FeatureCount;
        var (all, training, heldOut) = (new StreamSummary(width, classCount), new StreamSummary(width, classCount), new StreamSummary(width, classCount));
        var heldOutRows = heldOutBudgetBytes > 0 ? new RowCollector(width, stream.HasWeights) : null;
        var row = new RowSlots(1, width, sparse: true);
        using var reader = stream.OpenReader();
        while (reader.ReadInto(row, 0))
        {
            all.Add(row, 0);
            if (heldOutOnlyIfSparse && all.Rows % SparseRows.DensitySampleRows == 0 && !all.IsSparse)
                heldOutRows = null;
            if (!reader.HeldOut)
            {
                training.Add(row, 0);
                continue;
            }
            heldOut.Add(row, 0);
            heldOutRows?.Add(row, 0);
            if (heldOutRows?.PeakBytes(sparse: null) > heldOutBudgetBytes)
                heldOutRows = null;
        }
        return (all, training, heldOut, heldOutRows, reader);
    }
}
