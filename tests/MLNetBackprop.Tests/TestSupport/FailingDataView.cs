using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>
/// A data view that gives the rows of another, except that its <see cref="FailingCursor"/>-th cursor (1-based, counted
/// over every cursor opened) throws an <see cref="IOException"/> when asked to move to row <see cref="FailingRow"/>,
/// as a file or database that goes away mid-read does. Everything else is delegated to the wrapped view.
/// </summary>
internal sealed class FailingDataView(IDataView inner, int failingCursor, long failingRow) : IDataView
{
    private int _cursorsOpened;

    public int FailingCursor { get; } = failingCursor;
    public long FailingRow { get; } = failingRow;

    /// <summary>Cursors opened so far.</summary>
    public int CursorsOpened => Volatile.Read(ref _cursorsOpened);

    /// <summary>Whether a cursor has thrown.</summary>
    public bool HasFailed { get; private set; }

    public bool CanShuffle => inner.CanShuffle;

    public DataViewSchema Schema => inner.Schema;

    public long? GetRowCount() => inner.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new Cursor(this, inner.GetRowCursor(columnsNeeded, rand), Interlocked.Increment(ref _cursorsOpened) == FailingCursor);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(FailingDataView view, DataViewRowCursor inner, bool fails) : DataViewRowCursor
    {
        private long _rows;

        public override DataViewSchema Schema => inner.Schema;
        public override long Position => inner.Position;
        public override long Batch => inner.Batch;

        public override bool MoveNext()
        {
            if (fails && ++_rows == view.FailingRow)
            {
                view.HasFailed = true;
                throw new IOException($"the test source became unreadable at row {view.FailingRow}");
            }
            return inner.MoveNext();
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => inner.GetGetter<TValue>(column);
        public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
