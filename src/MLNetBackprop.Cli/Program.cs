using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Cli;

// The main job: with the trainers' defaults, train and evaluate an MLP on each shipped data set (80/20 split,
// min-max normalization) and print one table. Optional argument: --seed N (default 1).
var seed = 1;
if (args.Length != 0 && !(args.Length == 2 && args[0] == "--seed" && int.TryParse(args[1], out seed)))
{
    Console.Error.WriteLine("usage: mlnet-backprop [--seed N]");
    return 2;
}

var folder = ShippedDataSets.FindFolder();
var ml = new MLContext(seed: seed);
Console.WriteLine($"MLNetBackprop: default MLP (one hidden layer of 100 ReLU units, Adam 1e-3) on the shipped data, seed {seed}");
Console.WriteLine();
Console.WriteLine($"{"data set",-16} {"task",-11} {"train",6} {"test",5}  {"metric",-22} {"value",7} {"seconds",8}");

Report("digits", "multiclass", ShippedDataSets.Load(ml, folder, "digits.csv", 64, DataKind.Single),
    ml.Transforms.Conversion.MapValueToKey("Label"),
    ml.MulticlassClassification.Trainers.Mlp(),
    scored => ("accuracy", ml.MulticlassClassification.Evaluate(scored).MicroAccuracy));

Report("breast cancer", "binary", ShippedDataSets.Load(ml, folder, "breast_cancer.csv", 30, DataKind.String),
    ml.Transforms.Conversion.MapValue("Label",
        [new KeyValuePair<string, bool>("malignant", true), new KeyValuePair<string, bool>("benign", false)]),
    ml.BinaryClassification.Trainers.Mlp(),
    scored => ("AUC", ml.BinaryClassification.Evaluate(scored).AreaUnderRocCurve));

Report("diabetes", "regression", ShippedDataSets.Load(ml, folder, "diabetes.csv", 10, DataKind.Single),
    ml.Transforms.CopyColumns("Label", "Label"),
    ml.Regression.Trainers.Mlp(),
    scored => ("R²", ml.Regression.Evaluate(scored).RSquared));
return 0;

void Report(string name, string task, IDataView data, IEstimator<ITransformer> prepareLabel,
    IEstimator<ITransformer> trainer, Func<IDataView, (string Metric, double Value)> evaluate)
{
    var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: seed);
    var pipeline = prepareLabel
        .Append(ml.Transforms.Concatenate("Features", "Measurements"))
        .Append(ml.Transforms.NormalizeMinMax("Features"))
        .Append(trainer);
    var clock = Stopwatch.StartNew();
    var model = pipeline.Fit(split.TrainSet);
    var seconds = clock.Elapsed.TotalSeconds;
    var (metric, value) = evaluate(model.Transform(split.TestSet));
    Console.WriteLine($"{name,-16} {task,-11} {CountRows(split.TrainSet),6} {CountRows(split.TestSet),5}  {"test " + metric,-22} {value,7:F4} {seconds,8:F2}");
}

static long CountRows(IDataView data)
{
    using var cursor = data.GetRowCursor([]);
    long rows = 0;
    while (cursor.MoveNext())
        rows++;
    return rows;
}
