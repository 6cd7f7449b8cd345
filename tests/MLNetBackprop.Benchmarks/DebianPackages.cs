using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// The Debian package descriptions (data/debian-packages.tsv): loading with a check that every row arrived whole,
/// the fixed 80/20 split and the standard text featurization, shared by the text benchmark's systems.
/// </summary>
internal static class DebianPackages
{
    public const int Classes = 19;

    /// <summary>One package: the label and the two text fields (the package name is not a feature).</summary>
    public sealed class Row
    {
        [LoadColumn(1)] public string Section { get; set; } = "";
        [LoadColumn(2)] public string Summary { get; set; } = "";
        [LoadColumn(3)] public string Description { get; set; } = "";
    }

    /// <summary>
    /// Loads the file and checks every row against the file's own lines, unquoted as CSV: one row per line after the
    /// header, each field whole and with its quotes undone. Throws on any difference, so a loader setting that drops,
    /// splits or mangles rows cannot go unnoticed.
    /// </summary>
    /// <param name="ml">The context to load with.</param>
    /// <param name="path">The TSV file.</param>
    /// <returns>The loaded rows, how many they are and how many fields the file holds in quotes.</returns>
    public static (IDataView Data, int Rows, int QuotedFields) Load(MLContext ml, string path)
    {
        // The file quotes a field that holds quotes (doubling them inside), as CSV does: without allowQuoting the
        // loader would keep the quotes, and the doubled ones, as part of the text.
        var data = ml.Data.LoadFromTextFile<Row>(path, separatorChar: '\t', hasHeader: true, allowQuoting: true);
        var lines = File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).ToList();
        var quotedFields = lines.Sum(fields => fields.Count(f => f.StartsWith('"')));
        var rows = ml.Data.CreateEnumerable<Row>(data, reuseRowObject: false).ToList();
        var sections = rows.Select(r => r.Section).Distinct().Count();
        var bad = rows.Count != lines.Count ? 0
            : Enumerable.Range(0, rows.Count).FirstOrDefault(i => !Matches(rows[i], lines[i]), -1);
        if (rows.Count != lines.Count || sections != Classes || bad >= 0)
            throw new InvalidDataException($"{path}: loaded {rows.Count} rows of {lines.Count} lines, {sections} sections " +
                $"(expected {Classes}), first row unlike its line: {bad}.");
        return (data, rows.Count, quotedFields);
    }

    // Tabs never occur inside a field of this file (each line has exactly four fields), so a split on tabs finds the
    // fields and only the quoting is left to undo.
    private static bool Matches(Row row, string[] fields)
        => fields.Length == 4 && row.Section == Unquote(fields[1]) && row.Summary == Unquote(fields[2])
            && row.Description == Unquote(fields[3]);

    private static string Unquote(string field)
        => field.Length >= 2 && field[0] == '"' && field[^1] == '"'
            ? field[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal)
            : field;

    /// <summary>The fixed split: 20% test rows, seed 1.</summary>
    public static DataOperationsCatalog.TrainTestData Split(MLContext ml, IDataView data)
        => ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

    /// <summary>Label key from Section, one FeaturizeText per text field, both concatenated into Features.</summary>
    public static EstimatorChain<ColumnConcatenatingTransformer> Featurize(MLContext ml)
        => ml.Transforms.Conversion.MapValueToKey("Label", "Section")
            .Append(ml.Transforms.Text.FeaturizeText("SummaryFeatures", "Summary"))
            .Append(ml.Transforms.Text.FeaturizeText("DescriptionFeatures", "Description"))
            .Append(ml.Transforms.Concatenate("Features", "SummaryFeatures", "DescriptionFeatures"));

    /// <summary>
    /// The Features column (and the Label key as class indices) of featurized rows, one pass, non-zeros only.
    /// </summary>
    public static SparseFeatures ReadFeatures(IDataView featurized)
    {
        var featureColumn = featurized.Schema["Features"];
        var labelColumn = featurized.Schema["Label"];
        var width = ((VectorDataViewType)featureColumn.Type).Size;
        var values = new List<float>();
        var indices = new List<int>();
        var rowStarts = new List<int> { 0 };
        var targets = new List<float>();
        using var cursor = featurized.GetRowCursor([featureColumn, labelColumn]);
        var getFeatures = cursor.GetGetter<VBuffer<float>>(featureColumn);
        var getLabel = cursor.GetGetter<uint>(labelColumn);
        var vector = default(VBuffer<float>);
        var label = 0u;
        while (cursor.MoveNext())
        {
            getFeatures(ref vector);
            getLabel(ref label);
            var rowValues = vector.GetValues();
            var rowIndices = vector.GetIndices();
            for (var i = 0; i < rowValues.Length; i++)
            {
                if (rowValues[i] == 0)
                    continue;
                values.Add(rowValues[i]);
                indices.Add(vector.IsDense ? i : rowIndices[i]);
            }
            rowStarts.Add(values.Count);
            // Keys count from 1; 0 is a section the featurizer did not see when it was fitted.
            if (label == 0)
                throw new InvalidDataException($"Row {targets.Count} has a section the label key does not know.");
            targets.Add(label - 1);
        }
        return new SparseFeatures([.. values], [.. indices], [.. rowStarts], width, [.. targets]);
    }
}
