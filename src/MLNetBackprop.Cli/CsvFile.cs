using nietras.SeparatedValues;

namespace MLNetBackprop.Cli;

/// <summary>
/// A delimited text file read whole into memory with Sep (chosen over Sylvan.Data.Csv for its separator detection from
/// the header, its RFC 4180 unescaping and its speed): the header's names, and each data row's trimmed cells with the
/// line it starts on. Rows whose field count differs from the header's are an error naming the line, or with
/// <c>skipBadRows</c> are left out and counted.
/// </summary>
internal sealed class CsvFile
{
    private CsvFile(string path, char separator, string[] names, List<string[]> rows, List<int> lines, int skipped)
    {
        Path = path;
        Separator = separator;
        ColumnNames = names;
        Rows = rows;
        LineNumbers = lines;
        SkippedRaggedRows = skipped;
    }

    public string Path { get; }
    public char Separator { get; }
    public string[] ColumnNames { get; }
    /// <summary>The data rows, each with one trimmed cell per column.</summary>
    public List<string[]> Rows { get; }
    /// <summary>The line of the file each row starts on (1 is the header).</summary>
    public List<int> LineNumbers { get; }
    /// <summary>Rows left out for a wrong number of fields (only with skipBadRows).</summary>
    public int SkippedRaggedRows { get; }

    /// <summary>Reads <paramref name="path"/>; the separator is detected from the header unless given.</summary>
    public static CsvFile Read(string path, char? separator, bool skipBadRows)
    {
        try
        {
            return ReadFile(path, separator, skipBadRows);
        }
        catch (Exception error) when (error is InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new CliException($"'{path}' could not be read as a delimited text file: {error.Message}");
        }
    }

    private static CsvFile ReadFile(string path, char? separator, bool skipBadRows)
    {
        if (!File.Exists(path))
            throw new CliException($"data file '{path}' does not exist");
        if (new FileInfo(path).Length == 0)
            throw new CliException($"data file '{path}' is empty; it needs a header row and data rows");
        var spec = separator is { } c ? new Sep(c) : (Sep?)null;
        using var reader = (spec is { } s ? s.Reader(Configure) : Sep.Reader(Configure)).FromFile(path);
        // A blank name (such as the index column pandas writes) gets one from its position.
        var names = reader.Header.ColNames.Select((n, i) => string.IsNullOrWhiteSpace(n) ? $"column{i + 1}" : n.Trim()).ToArray();
        var sep = reader.Spec.Sep.Separator;
        if (names.Length < 2)
            throw new CliException($"data file '{path}' has {names.Length} column with separator '{Printable(sep)}'; " +
                "it needs a label and at least one feature, or give the separator with --separator");
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new CliException($"data file '{path}' has two columns named '{duplicate.Key}' in its header; rename one");
        var rows = new List<string[]>();
        var lines = new List<int>();
        var skipped = 0;
        foreach (var row in reader)
        {
            var line = row.LineNumberFrom;
            if (row.ColCount != names.Length)
            {
                if (row.ColCount == 1 && row[0].Span.Trim().IsEmpty)
                    continue; // a blank line
                if (!skipBadRows)
                {
                    var quote = row.LineNumberToExcl - line > 1 ? " (it spans several lines: is a quote left open?)" : "";
                    throw new CliException($"'{path}' line {line} has {row.ColCount} fields, the header has {names.Length}{quote}; " +
                        "fix the row, or pass --skip-bad-rows to leave such rows out");
                }
                skipped++;
                continue;
            }
            var cells = new string[names.Length];
            for (var i = 0; i < cells.Length; i++)
                cells[i] = row[i].ToString();
            rows.Add(cells);
            lines.Add(line);
        }
        return new CsvFile(path, sep, names, rows, lines, skipped);
    }

    public int IndexOf(string column) => Array.IndexOf(ColumnNames, column);

    /// <summary>The index of <paramref name="column"/>, or an error listing the file's columns.</summary>
    public int RequireColumn(string column, string role)
    {
        var index = IndexOf(column);
        if (index >= 0)
            return index;
        var near = ColumnNames.FirstOrDefault(n => n.Equals(column.Trim(), StringComparison.OrdinalIgnoreCase));
        throw new CliException($"{role} '{column}' is not a column of '{Path}'" + (near is null
            ? $"; its columns are: {string.Join(", ", ColumnNames)}" : $"; did you mean '{near}'? (names are case-sensitive)"));
    }

    private static SepReaderOptions Configure(SepReaderOptions options) =>
        options with { Unescape = true, Trim = SepTrim.All, DisableColCountCheck = true };

    public static string Printable(char c) => c == '\t' ? "\\t" : c.ToString();
}
