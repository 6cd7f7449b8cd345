using Microsoft.ML;

// Usage: MLNetBackprop.LoadProbe <model.zip> <data.idv> <output.tsv> <column>...
// Loads a saved model with ML.NET alone, scores a binary-format data view, and writes the named output
// columns as text, so a test can compare them with the predictions of the process that trained the model.
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: MLNetBackprop.LoadProbe <model.zip> <data.idv> <output.tsv> <column>...");
    return 2;
}

var ml = new MLContext(seed: 0);
var model = ml.Model.Load(args[0], out _);
var data = ml.Data.LoadFromBinary(args[1]);
var scored = ml.Transforms.SelectColumns(args[3..]).Fit(model.Transform(data)).Transform(model.Transform(data));
using (var output = File.Create(args[2]))
    ml.Data.SaveAsText(scored, output, separatorChar: '\t', headerRow: true, schema: false);
Console.WriteLine($"scored {scored.GetRowCount() ?? -1} rows with {model.GetType().Name}");
return 0;
