using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.RowSources;

namespace MLNetBackprop.MLNet;

/// <summary>
/// One cursor pass of a <see cref="CursorRowStream"/>, a row at a time: the one place rows are read from ML.NET,
/// whether into memory or streamed. Rows whose features are NaN or infinite, or whose label is missing, are skipped
/// (ML.NET's convention for its trainers) and counted; a vector of the wrong length, badly ordered sparse slots or a
/// negative weight fail with the row and column; a cursor that fails says which row it was reading.
/// </summary>
internal sealed class CursorRowReader : IRowReader
{
    private readonly CursorRowStream _stream;
    private readonly DataViewRowCursor _cursor;
    private readonly ValueGetter<VBuffer<float>> _getFeatures;
    private readonly ValueGetter<float>? _getTarget;
    private readonly TargetsGetter? _getTargets;
    private readonly float[] _targets;
    private readonly ValueGetter<float>? _getWeight;
    private readonly ValueGetter<DataViewRowId>? _getId;
    private VBuffer<float> _vector;
    private float _target;
    private float _weight = 1;
    private DataViewRowId _id;
    private long _usable;

    /// <summary>Opens the cursor, in random order when <paramref name="shuffleSeed"/> is given and the view can shuffle.</summary>
    public CursorRowReader(CursorRowStream stream, int? shuffleSeed)
    {
        _stream = stream;
        var columns = stream.Columns;
        try
        {
            _cursor = shuffleSeed is { } seed && stream.View.CanShuffle
                ? stream.View.GetRowCursor(columns.Active, new Random(seed))
                : stream.View.GetRowCursor(columns.Active);
            _getFeatures = _cursor.GetGetter<VBuffer<float>>(columns.Features);
            if (columns.LabelSize == 0)
                _getTarget = LabelGetter.For(_cursor, columns.Label, columns.Kind);
            else
                _getTargets = LabelGetter.ForVector(_cursor, columns);
            _targets = new float[columns.TargetWidth];
            _getWeight = columns.Weight is { } weight ? _cursor.GetGetter<float>(weight) : null;
            _getId = stream.Selection is null ? null : _cursor.GetIdGetter();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _cursor?.Dispose(); // a getter failed after the cursor opened: its reader threads must not outlive this
            throw ReadFailure(e, row: 0);
        }
    }

    /// <summary>Rows the cursor has given so far (the 1-based number of the last one).</summary>
    public long Row { get; private set; }
    /// <summary>Rows skipped for NaN or infinite features.</summary>
    public long SkippedBadFeatures { get; private set; }
    /// <summary>Rows skipped for a missing label.</summary>
    public long SkippedMissingLabel { get; private set; }
    /// <summary>Whether the last row read is one <see cref="CursorRowStream.Selection"/> holds out (for <see cref="RowSide.All"/>).</summary>
    public bool HeldOut { get; private set; }

    /// <inheritdoc/>
    public bool ReadInto(RowSlots rows, int slot)
    {
        while (Advance())
        {
            if (!OnSide())
                continue;
            if (!Fetch())
            {
                SkippedMissingLabel++;
                continue;
            }
            if (!FeatureVectorCheck.IsUsable(_vector, _stream.Columns.FeatureCount, _stream.Columns.Features.Name, Row))
            {
                SkippedBadFeatures++;
                continue;
            }
            if (_getWeight is not null && !(float.IsFinite(_weight) && _weight >= 0))
                throw new InvalidOperationException(
                    $"Example weight column '{_stream.Columns.Weight!.Value.Name}' has the value {_weight} in row {Row} of the {_stream.Description} data; " +
                    "weights must be finite and non-negative.");
            if (_stream.Share is { } share && !share.Holds(_usable++))
                continue;
            var labels = _stream.Labels;
            var indices = _vector.IsDense ? default : _vector.GetIndices();
            // A vector label's targets are mapped once the rows are in memory (they are never streamed).
            if (_getTargets is not null)
                rows.Set(slot, indices, _vector.GetValues(), _targets, _weight);
            else
                rows.Set(slot, indices, _vector.GetValues(), labels.Target(_target), labels.Weight(_target, _weight));
            return true;
        }
        return false;
    }

    /// <inheritdoc/>
    public void Dispose() => _cursor.Dispose();

    private bool Advance()
    {
        try
        {
            if (!_cursor.MoveNext())
                return false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw ReadFailure(e, Row + 1); // it failed moving to the next row
        }
        Row++;
        return true;
    }

    // Whether the row is on the pass's side of the validation split (reading only its id, not its values).
    private bool OnSide()
    {
        if (_getId is null)
            return true;
        Get(_getId, ref _id);
        HeldOut = _stream.Selection!.Value.HoldsOut(_id);
        return _stream.Side switch
        {
            RowSide.Training => !HeldOut,
            RowSide.Validation => HeldOut,
            _ => true,
        };
    }

    // Reads the row's values; false when its label is missing (every value of a vector label).
    private bool Fetch()
    {
        var present = true;
        if (_getTarget is not null)
        {
            Get(_getTarget, ref _target);
            present = !float.IsNaN(_target);
        }
        else
        {
            try
            {
                present = _getTargets!(_targets);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw ReadFailure(e, Row);
            }
        }
        Get(_getFeatures, ref _vector);
        if (_getWeight is not null)
            Get(_getWeight, ref _weight);
        return present;
    }

    private void Get<T>(ValueGetter<T> getter, ref T value)
    {
        try
        {
            getter(ref value);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw ReadFailure(e, Row);
        }
    }

    // A failure while reading row number row (1-based; 0 while opening the cursor).
    private InvalidOperationException ReadFailure(Exception e, long row) => new(
        $"Reading {(row == 0 ? "" : $"row {row} of ")}the {_stream.Description} data failed: {e.Message} " +
        "Training reads its data through an ML.NET cursor, and while streaming it reads it again every epoch, so the " +
        "source (file, database, pipeline) must stay readable until Fit returns. Checkpoints already written are intact.", e);
}
