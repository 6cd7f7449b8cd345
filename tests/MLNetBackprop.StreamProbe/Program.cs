using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop;

// Usage: MLNetBackprop.StreamProbe <InMemory|Streaming|Auto> <rows> <features> [validation fraction]
// Trains a binary MLP for one epoch on rows generated one at a time (never all held in memory), with the given
// DataLoading (and ValidationFraction, default 0), and prints the heap limit .NET sees and how training ended. Exit
// code 0: trained; 3: training threw an InvalidOperationException (its message printed); anything else crashes as it
// would in an application.
if (args.Length is not (3 or 4))
{
    Console.Error.WriteLine("usage: MLNetBackprop.StreamProbe <InMemory|Streaming|Auto> <rows> <features> [validation fraction]");
    return 2;
}

var loading = Enum.Parse<MlpDataLoading>(args[0]);
var rowCount = int.Parse(args[1], CultureInfo.InvariantCulture);
var featureCount = int.Parse(args[2], CultureInfo.InvariantCulture);
var validationFraction = args.Length == 4 ? float.Parse(args[3], CultureInfo.InvariantCulture) : 0f;
Console.WriteLine($"heap limit {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes >> 20} MB");

var ml = new MLContext(seed: 1);
ml.Log += (_, e) =>
{
    if (e.Kind is Microsoft.ML.Runtime.ChannelMessageKind.Info or Microsoft.ML.Runtime.ChannelMessageKind.Warning && e.Source.Contains("Mlp", StringComparison.Ordinal))
        Console.WriteLine(e.Message);
};
var schema = SchemaDefinition.Create(typeof(Row));
schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
var data = ml.Data.LoadFromEnumerable(Rows(rowCount, featureCount), schema);
var trainer = ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options
{
    HiddenLayerSizes = [8], NumberOfEpochs = 1, BatchSize = 256, Seed = 1, DataLoading = loading, ValidationFraction = validationFraction,
});
try
{
    var model = trainer.Fit(data).Model;
    Console.WriteLine($"trained: {model.TrainingHistory.Count} epoch, training loss {model.TrainingHistory[^1].TrainingLoss.ToString(CultureInfo.InvariantCulture)}");
    return 0;
}
catch (InvalidOperationException e)
{
    Console.WriteLine($"{e.GetType().Name}: {e.Message}");
    return 3;
}

// Rows made up as they are read, the same every pass: feature 0 decides the label, the rest is a cheap pattern.
static IEnumerable<Row> Rows(int count, int featureCount)
{
    for (var i = 0; i < count; i++)
    {
        var features = new float[featureCount];
        for (var j = 0; j < featureCount; j++)
            features[j] = (uint)((i + 1) * 2654435761u ^ (uint)(j * 40503)) % 1000 / 1000f;
        yield return new Row { Features = features, Label = features[0] > 0.5f };
    }
}

internal sealed class Row
{
    public float[] Features { get; set; } = [];
    public bool Label { get; set; }
}
