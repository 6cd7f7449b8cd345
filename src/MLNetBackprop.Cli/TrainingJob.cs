using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Cli;

/// <summary>
/// Trains an MLP on a CSV file: every column but the label is a feature (numbers are min-max normalized, text is
/// one-hot encoded), the rows are split into training and test sets, and the model is evaluated and saved.
/// The saved model reads the raw columns and needs no label. On a cluster every rank runs all of this (training is
/// collective; the evaluation is cheap and the same everywhere) and rank 0 alone saves the model.
/// </summary>
internal static class TrainingJob
{
    public static TrainingOutcome Run(MLContext ml, TrainingRequest request, IProgress<MlpEpochReport>? progress)
    {
        var table = request.Table;
        var labelIndex = table.IndexOf(request.LabelColumn);
        var values = LabelPreparation.DistinctValues(ml, table, request.LabelColumn);
        if (values.Count < 2)
            throw new CliException($"label column '{request.LabelColumn}' has {values.Count} distinct value(s); there is nothing to learn");
        var task = LabelPreparation.ChooseTask(request.Task, table.IsNumeric[labelIndex], values);
        var features = table.ColumnNames.Where(c => c != request.LabelColumn).ToArray();

        var data = table.Load(ml, features.Select(f => (f, table.IsNumeric[table.IndexOf(f)] ? DataKind.Single : DataKind.String))
            .Append((request.LabelColumn, LabelPreparation.LoadKind(task))));
        var labeled = LabelPreparation.Estimator(ml, task, request.LabelColumn, values).Fit(data).Transform(data);
        var split = ml.Data.TrainTestSplit(labeled, request.TestFraction, seed: request.Seed);

        var clock = Stopwatch.StartNew();
        var model = ScoringPipeline(ml, table, features, task, request, progress).Fit(split.TrainSet);
        var seconds = clock.Elapsed.TotalSeconds;
        var metrics = Evaluate(ml, task, model.Transform(split.TestSet));
        if (request.ModelPath is { } path && request.IsRoot)
            ml.Model.Save(model, data.Schema, path);
        var note = task == TaskKind.Binary ? $"positive class: '{LabelPreparation.PositiveValue(values)}'" : null;
        return new TrainingOutcome(task, CountRows(split.TrainSet), CountRows(split.TestSet), metrics, seconds, note);
    }

    private static IEstimator<ITransformer> ScoringPipeline(MLContext ml, CsvTable table, string[] features, TaskKind task,
        TrainingRequest request, IProgress<MlpEpochReport>? progress)
    {
        var numeric = features.Where(f => table.IsNumeric[table.IndexOf(f)]).ToArray();
        var text = features.Where(f => !table.IsNumeric[table.IndexOf(f)]).ToArray();
        IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
        foreach (var column in text)
            pipeline = pipeline.Append(ml.Transforms.Categorical.OneHotEncoding($"{column}__onehot", column));
        pipeline = pipeline
            .Append(ml.Transforms.Concatenate("Features", numeric.Concat(text.Select(c => $"{c}__onehot")).ToArray()))
            .Append(ml.Transforms.NormalizeMinMax("Features"));
        return task switch
        {
            TaskKind.Binary => pipeline.Append(ml.BinaryClassification.Trainers.Mlp(Configure(new MlpBinaryTrainer.Options(), request, progress))),
            TaskKind.Multiclass => pipeline
                .Append(ml.MulticlassClassification.Trainers.Mlp(Configure(new MlpMulticlassTrainer.Options(), request, progress)))
                .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")),
            _ => pipeline.Append(ml.Regression.Trainers.Mlp(Configure(new MlpRegressionTrainer.Options(), request, progress))),
        };
    }

    private static T Configure<T>(T options, TrainingRequest request, IProgress<MlpEpochReport>? progress) where T : MlpOptionsBase
    {
        options.HiddenLayerSizes = request.HiddenLayerSizes ?? options.HiddenLayerSizes;
        options.NumberOfEpochs = request.Epochs;
        options.LearningRate = request.LearningRate ?? options.LearningRate;
        options.BatchSize = request.BatchSize ?? options.BatchSize;
        options.Progress = progress;
        options.ValidationFraction = request.ValidationFraction ?? options.ValidationFraction;
        options.Tolerance = request.Tolerance ?? options.Tolerance;
        options.CheckpointPath = request.CheckpointPath;
        options.CheckpointEveryEpochs = request.CheckpointEveryEpochs ?? options.CheckpointEveryEpochs;
        options.GradientShards = request.GradientShards;
        options.Cluster = request.Cluster;
        return options;
    }

    private static IReadOnlyList<(string, double)> Evaluate(MLContext ml, TaskKind task, IDataView scored)
    {
        switch (task)
        {
            case TaskKind.Binary:
                var binary = ml.BinaryClassification.Evaluate(scored);
                return [("AUC", binary.AreaUnderRocCurve), ("accuracy", binary.Accuracy), ("F1", binary.F1Score)];
            case TaskKind.Multiclass:
                var multiclass = ml.MulticlassClassification.Evaluate(scored);
                return [("accuracy", multiclass.MicroAccuracy), ("macro accuracy", multiclass.MacroAccuracy), ("log loss", multiclass.LogLoss)];
            default:
                var regression = ml.Regression.Evaluate(scored);
                return [("R²", regression.RSquared), ("RMSE", regression.RootMeanSquaredError), ("MAE", regression.MeanAbsoluteError)];
        }
    }

    private static long CountRows(IDataView data)
    {
        using var cursor = data.GetRowCursor([]);
        long rows = 0;
        while (cursor.MoveNext())
            rows++;
        return rows;
    }
}
