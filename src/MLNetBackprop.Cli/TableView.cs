using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Cli;

/// <summary>
/// Columns held in memory (float, bool or text arrays of one length) as an ML.NET data view, so that the tool can feed
/// ML.NET rows it has read and cleaned itself.
/// </summary>
internal sealed class TableView : IDataView
{
    private readonly Array[] _columns;
    private readonly long _rows;

    public TableView(IReadOnlyList<(string Name, Array Values)> columns, int rows)
    {
        var schema = new DataViewSchema.Builder();
        foreach (var (name, values) in columns)
            schema.AddColumn(name, values switch
            {
                float[] => NumberDataViewType.Single,
                bool[] => BooleanDataViewType.Instance,
                ReadOnlyMemory<char>[] => TextDataViewType.Instance,
                _ => throw new ArgumentException($"column '{name}' has unsupported values {values.GetType()}", nameof(columns)),
            });
        Schema = schema.ToSchema();
        _columns = columns.Select(c => c.Values).ToArray();
        _rows = rows;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [new Cursor(this)];

    private sealed class Cursor(TableView table) : DataViewRowCursor
    {
        private long _position = -1;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => table.Schema;

        public override bool MoveNext()
        {
            if (_position + 1 >= table._rows)
            {
                _position = table._rows;
                return false;
            }
            _position++;
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var values = (TValue[])table._columns[column.Index];
            return (ref TValue value) => value = values[_position];
        }
    }
}
