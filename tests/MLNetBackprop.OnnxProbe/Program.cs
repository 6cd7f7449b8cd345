using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

// Usage: MLNetBackprop.OnnxProbe <model.onnx> <output.tsv> <input>=<values.tsv>...
// Scores an ONNX model with ONNX Runtime alone: each graph input is read from its file (one row per line,
// tab-separated float values), and every graph output is written as a column of <output.tsv> (a header of output
// names, then one line per row; vectors as comma-separated values). Outputs that are not one value or vector per row
// (the converter's slot-name markers, a [1, 1] tensor each) are named on the console and left out.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: MLNetBackprop.OnnxProbe <model.onnx> <output.tsv> <input>=<values.tsv>...");
    return 2;
}

var files = args[2..].Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
using var session = new InferenceSession(args[0]);
var inputs = new List<NamedOnnxValue>();
var rowCount = 0;
foreach (var (name, metadata) in session.InputMetadata)
{
    if (metadata.ElementType != typeof(float))
    {
        Console.Error.WriteLine($"input {name} has element type {metadata.ElementType.Name}; this probe feeds float inputs only");
        return 1;
    }
    if (!files.TryGetValue(name, out var file))
    {
        Console.Error.WriteLine($"no values given for the model's input {name}");
        return 1;
    }
    var rows = File.ReadAllLines(file).Select(l => l.Split('\t').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
    var width = rows[0].Length;
    rowCount = rows.Length;
    inputs.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(rows.SelectMany(r => r).ToArray(), [rows.Length, width])));
}

using var results = session.Run(inputs);
var columns = results.Select(r => (r.Name, Rows: Rows(r))).Where(c => c.Rows.Length == rowCount).ToList();
foreach (var name in results.Select(r => r.Name).Except(columns.Select(c => c.Name)))
    Console.WriteLine($"left out output {name}: not one value per row");
using (var output = new StreamWriter(args[1]))
{
    output.WriteLine(string.Join('\t', columns.Select(c => c.Name)));
    for (var row = 0; row < columns[0].Rows.Length; row++)
        output.WriteLine(string.Join('\t', columns.Select(c => c.Rows[row])));
}
Console.WriteLine($"scored {columns[0].Rows.Length} rows with ONNX Runtime");
return 0;

// One string per row: the row's values, comma-separated.
static string[] Rows(DisposableNamedOnnxValue result) => result.ElementType switch
{
    TensorElementType.Float => Format(result.AsTensor<float>(), v => v.ToString("R", CultureInfo.InvariantCulture)),
    TensorElementType.UInt32 => Format(result.AsTensor<uint>(), v => v.ToString(CultureInfo.InvariantCulture)),
    TensorElementType.Int64 => Format(result.AsTensor<long>(), v => v.ToString(CultureInfo.InvariantCulture)),
    TensorElementType.Bool => Format(result.AsTensor<bool>(), v => v.ToString()),
    _ => Format(result.AsTensor<string>(), v => v),
};

static string[] Format<T>(Tensor<T> tensor, Func<T, string> format)
{
    var values = tensor.Select(format).ToArray();
    return values.Chunk(values.Length / tensor.Dimensions[0]).Select(v => string.Join(',', v)).ToArray();
}
