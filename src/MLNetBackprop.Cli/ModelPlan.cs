using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNetBackprop.Cli;

/// <summary>
/// What <c>train</c> decided about the file (each column's use, the task, the label's classes), written into the model
/// zip beside ML.NET's own entries so that <c>predict</c> reads a new file exactly as the training file was read.
/// </summary>
/// <param name="Label">The label column's name.</param>
/// <param name="Task">The task trained.</param>
/// <param name="Classes">The label's values for classification (binary: the negative, then the positive class).</param>
/// <param name="Columns">Every column of the training file, in order.</param>
internal sealed record ModelPlan(string Label, TaskKind Task, string[] Classes, ColumnPlan[] Columns)
{
    private const string EntryName = "mlnet-backprop-cli/plan.json";
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public IEnumerable<ColumnPlan> Features => Columns.Where(c => c.IsFeature);

    /// <summary>Adds the plan to the model zip ML.NET saved at <paramref name="modelPath"/>.</summary>
    public void AppendTo(string modelPath)
    {
        using var zip = ZipFile.Open(modelPath, ZipArchiveMode.Update);
        using var stream = zip.CreateEntry(EntryName).Open();
        JsonSerializer.Serialize(stream, this, Json);
    }

    /// <summary>The plan in the model file, or an error saying the file is not a model this tool saved.</summary>
    public static ModelPlan ReadFrom(string modelPath)
    {
        if (Directory.Exists(modelPath))
            throw new CliException($"--model '{modelPath}' is a folder; give the model file that 'train' saved");
        if (!File.Exists(modelPath))
            throw new CliException($"model file '{modelPath}' does not exist; create one with 'train'");
        try
        {
            using var zip = ZipFile.OpenRead(modelPath);
            var entry = zip.GetEntry(EntryName) ?? throw new CliException(
                $"model file '{modelPath}' was not saved by this tool's 'train' (it lacks the column plan); train it with 'train'");
            using var stream = entry.Open();
            return JsonSerializer.Deserialize<ModelPlan>(stream, Json)
                ?? throw new CliException($"model file '{modelPath}' has an empty column plan; train it again");
        }
        catch (InvalidDataException)
        {
            throw new CliException($"model file '{modelPath}' is not a model (not a zip archive); give the file that 'train' saved");
        }
        catch (JsonException error)
        {
            throw new CliException($"model file '{modelPath}' has a damaged column plan ({error.Message}); train it again");
        }
    }
}
