using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Cli;

/// <summary>
/// A delimited text file with a header row, its columns classified by content (numeric when every non-empty value
/// parses as a number, text otherwise) so a pipeline can be built without a schema class.
/// </summary>
internal sealed class CsvTable
{
    private const int RowsToInspect = 10_000;

    private CsvTable(string path, char separator, string[] names, bool[] numeric)
    {
        Path = path;
        Separator = separator;
        ColumnNames = names;
        IsNumeric = numeric;
    }

    public string Path { get; }
    public char Separator { get; }
    public string[] ColumnNames { get; }
    public bool[] IsNumeric { get; }

    /// <summary>Reads the header and the first rows; the separator is a tab for .tsv files, else a comma.</summary>
    public static CsvTable Inspect(string path, char? separator = null)
    {
        if (!File.Exists(path))
            throw new CliException($"data file '{path}' does not exist");
        var sep = separator ?? (path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',');
        using var reader = new StreamReader(path);
        var header = reader.ReadLine() ?? throw new CliException($"data file '{path}' is empty");
        var names = header.Split(sep).Select(n => n.Trim().Trim('"')).ToArray();
        if (names.Length < 2)
            throw new CliException($"data file '{path}' has {names.Length} column with separator '{Printable(sep)}'; use --separator");
        var numeric = Enumerable.Repeat(true, names.Length).ToArray();
        for (var row = 0; row < RowsToInspect && reader.ReadLine() is { } line; row++)
        {
            var values = line.Split(sep);
            for (var c = 0; c < Math.Min(values.Length, names.Length); c++)
            {
                var value = values[c].Trim().Trim('"');
                if (value.Length > 0 && !float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && !IsMissing(value))
                    numeric[c] = false;
            }
        }
        return new CsvTable(path, sep, names, numeric);
    }

    public int IndexOf(string column)
    {
        var index = Array.IndexOf(ColumnNames, column);
        return index >= 0 ? index : throw new CliException(
            $"column '{column}' is not in '{Path}'; its columns are: {string.Join(", ", ColumnNames)}");
    }

    /// <summary>Loads the file with the given kind for each named column (columns not named are not loaded).</summary>
    public IDataView Load(MLContext ml, IEnumerable<(string Name, DataKind Kind)> columns) =>
        ml.Data.LoadFromTextFile(Path,
            columns.Select(c => new TextLoader.Column(c.Name, c.Kind, IndexOf(c.Name))).ToArray(),
            separatorChar: Separator, hasHeader: true, allowQuoting: true);

    private static bool IsMissing(string value) => value is "?" or "NA" or "NaN" or "nan" or "null";

    private static string Printable(char c) => c == '\t' ? "\\t" : c.ToString();
}
