using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Cli;

/// <summary><c>predict</c>: scores a CSV/TSV file with a saved model and writes the prediction columns.</summary>
internal static class PredictCommand
{
    private static readonly string[] PredictionColumns = ["PredictedLabel", "Score", "Probability"];

    public static int Run(CommandLine options)
    {
        var modelPath = options.RequiredText("model");
        var table = CsvTable.Inspect(options.RequiredText("data"), TrainCommand.Separator(options));
        var outputPath = options.Text("output");
        options.RejectUnknown();
        if (!File.Exists(modelPath))
            throw new CliException($"model file '{modelPath}' does not exist; create one with 'train'");

        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(modelPath, out var inputSchema);
        // Load the columns the model was trained with that this file has; the label may well be absent.
        var columns = inputSchema.Where(c => table.ColumnNames.Contains(c.Name))
            .Select(c => (c.Name, LoadKind(c))).ToArray();
        var scored = Score(model, table.Load(ml, columns), inputSchema, table);
        var present = PredictionColumns.Where(c => scored.Schema.GetColumnOrNull(c) is not null).ToArray();
        var predictions = ml.Transforms.SelectColumns(present).Fit(scored).Transform(scored);

        using var output = outputPath is null ? Console.OpenStandardOutput() : File.Create(outputPath);
        ml.Data.SaveAsText(predictions, output, separatorChar: '\t', headerRow: true, schema: false);
        if (outputPath is not null)
            Console.WriteLine($"wrote predictions for {table.Path} to {outputPath}");
        return 0;
    }

    /// <summary>How to load a column the model was trained with, from its type in the saved input schema.</summary>
    private static DataKind LoadKind(DataViewSchema.Column column) => column.Type.RawType switch
    {
        var t when t == typeof(float) => DataKind.Single,
        var t when t == typeof(double) => DataKind.Double,
        var t when t == typeof(ReadOnlyMemory<char>) => DataKind.String,
        var t when t == typeof(bool) => DataKind.Boolean,
        var t when t == typeof(int) => DataKind.Int32,
        var t when t == typeof(long) => DataKind.Int64,
        _ => throw new CliException($"the model's input column '{column.Name}' has type {column.Type}, which 'predict' cannot read from text"),
    };

    private static IDataView Score(ITransformer model, IDataView data, DataViewSchema inputSchema, CsvTable table)
    {
        try
        {
            return model.Transform(data);
        }
        catch (ArgumentOutOfRangeException ex) when (ex.Message.Contains("Could not find input column"))
        {
            var missing = inputSchema.Select(c => c.Name).Where(n => !table.ColumnNames.Contains(n));
            throw new CliException($"'{table.Path}' lacks a column the model needs ({ex.Message.Split('(')[0].Trim()}); " +
                $"columns the model was trained with but the file lacks: {string.Join(", ", missing)}");
        }
    }
}
