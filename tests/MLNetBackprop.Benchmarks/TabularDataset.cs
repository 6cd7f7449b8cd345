using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// One data set of the tabular suite, as bench/tabular-data.sh's manifest.tsv describes it: its CSV loaded with a
/// typed schema and the featurization every system shares, as an ML.NET user would write it without normalizing.
/// </summary>
/// <param name="Name">The manifest's name, also the CSV's file name.</param>
/// <param name="Task">Regression, binary or multiclass.</param>
/// <param name="Path">The CSV file: a header row, missing values as empty cells.</param>
/// <param name="LabelColumn">The label's column in the CSV (binary: 1 or 0; multiclass: text).</param>
/// <param name="CategoricalColumns">Text columns, one-hot encoded.</param>
/// <param name="NumericColumns">Every other column but the label, read as float.</param>
/// <param name="Rows">Rows in the CSV.</param>
internal sealed record TabularDataset(string Name, TabularTask Task, string Path, string LabelColumn,
    IReadOnlyList<string> CategoricalColumns, IReadOnlyList<string> NumericColumns, int Rows)
{
    private const string NumericFeatures = "NumericFeatures";

    /// <summary>The data sets manifest.tsv in <paramref name="directory"/> lists, in its order.</summary>
    public static IReadOnlyList<TabularDataset> ReadManifest(string directory)
    {
        var lines = File.ReadAllLines(System.IO.Path.Combine(directory, "manifest.tsv"));
        var header = lines[0].Split('\t');
        return lines.Skip(1).Where(line => line.Length > 0).Select(line =>
        {
            var fields = header.Zip(line.Split('\t')).ToDictionary(pair => pair.First, pair => pair.Second);
            var path = System.IO.Path.Combine(directory, fields["name"] + ".csv");
            var categorical = fields["categorical"].Split(',', StringSplitOptions.RemoveEmptyEntries);
            var numeric = CsvHeader(path).Where(c => c != fields["label"] && !categorical.Contains(c)).ToArray();
            return new TabularDataset(fields["name"], Enum.Parse<TabularTask>(fields["task"], ignoreCase: true), path,
                fields["label"], categorical, numeric, int.Parse(fields["rows"], System.Globalization.CultureInfo.InvariantCulture));
        }).ToList();
    }

    /// <summary>
    /// The rows, typed: the label as <c>Label</c> (float, bool, or a key whose dictionary comes from every row, so that
    /// each class has its key in every split), categorical columns as text, the rest as float with empty cells NaN.
    /// </summary>
    public IDataView Load(MLContext ml)
    {
        var columns = CsvHeader(Path).Select((name, index) => name == LabelColumn
            ? new TextLoader.Column("Label", LabelKind, index)
            : new TextLoader.Column(name, CategoricalColumns.Contains(name) ? DataKind.String : DataKind.Single, index));
        var data = ml.Data.CreateTextLoader(new TextLoader.Options
        {
            Columns = columns.ToArray(),
            HasHeader = true,
            Separators = [','],
            AllowQuoting = true,
            MissingRealsAsNaNs = true,
        }).Load(Path);
        return Task == TabularTask.Multiclass
            ? ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Fit(data).Transform(data)
            : data;
    }

    /// <summary>
    /// Numeric columns concatenated with missing values replaced by the column mean; categorical ones one-hot encoded,
    /// a missing value encoding as no category at all, which the trainers see as one more category; all in Features.
    /// </summary>
    public IEstimator<ITransformer> Featurize(MLContext ml)
    {
        IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
        var parts = new List<string>();
        if (NumericColumns.Count > 0)
        {
            pipeline = pipeline.Append(ml.Transforms.Concatenate(NumericFeatures, NumericColumns.ToArray()))
                .Append(ml.Transforms.ReplaceMissingValues(NumericFeatures));
            parts.Add(NumericFeatures);
        }
        if (CategoricalColumns.Count > 0)
        {
            pipeline = pipeline.Append(ml.Transforms.Categorical.OneHotEncoding(
                CategoricalColumns.Select(c => new InputOutputColumnPair(c)).ToArray()));
            parts.AddRange(CategoricalColumns);
        }
        return pipeline.Append(ml.Transforms.Concatenate("Features", parts.ToArray()));
    }

    private DataKind LabelKind => Task switch
    {
        TabularTask.Regression => DataKind.Single,
        TabularTask.Binary => DataKind.Boolean,
        _ => DataKind.String,
    };

    // The export writes plain names (letters, digits, underscores), quoted by R and bare by Python.
    private static string[] CsvHeader(string path)
        => File.ReadLines(path).First().Split(',').Select(name => name.Trim('"')).ToArray();
}
