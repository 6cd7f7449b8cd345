using System.Diagnostics;
using Microsoft.ML;

namespace MLNetBackprop.Cli;

/// <summary>
/// Trains an MLP on a CSV file: reads it (<see cref="CsvFile"/>), decides each column's use and the task
/// (<see cref="TableAnalysis"/>), reports what it did and warns about leaks, splits the rows into training and test
/// sets, trains the features' transforms (<see cref="FeaturePipeline"/>) and the MLP, evaluates, and saves the model
/// with its column plan. On a cluster every rank runs all of this (training is collective; the evaluation is cheap and
/// the same everywhere) and rank 0 alone prints and saves the model.
/// </summary>
internal static class TrainingJob
{
    /// <summary>Trains; null when the request only asked for the column table.</summary>
    public static TrainingOutcome? Run(MLContext ml, TrainingRequest request, IProgress<MlpEpochReport>? progress, TextWriter? log)
    {
        // The options are checked before the file is read, so that a bad flag is reported at once.
        var trainers = Trainers(ml, request, progress);
        var file = CsvFile.Read(request.DataPath, request.Separator, request.SkipBadRows);
        var analysis = TableAnalysis.Run(file, request.LabelColumn, request.Ignore, request.Task, request.SkipBadRows);
        var plan = analysis.Plan;
        if (log is not null)
            Describe(log, file, analysis);
        if (request.ShowColumns)
            return null;

        var view = FeatureTable.Build(file, plan, analysis.Rows, withLabel: true, out _);
        if (plan.Task == TaskKind.Multiclass)
            view = ml.Transforms.Conversion.MapValueToKey(FeatureTable.LabelColumn, keyData: ClassList(plan)).Fit(view).Transform(view);
        var split = ml.Data.TrainTestSplit(view, request.TestFraction, seed: request.Seed);
        var trainRows = CountRows(split.TrainSet);
        if (trainRows == 0 || CountRows(split.TestSet) == 0)
            throw new CliException($"'{file.Path}' has {analysis.Rows.Length} usable rows, too few to hold out {request.TestFraction:P0} for testing; " +
                "give more rows or change --test-fraction");

        var clock = Stopwatch.StartNew();
        var pipeline = FeaturePipeline.Build(ml, plan, request.Preset);
        var model = (plan.Task switch
        {
            TaskKind.Binary => (IEstimator<ITransformer>)pipeline.Append(trainers.Binary),
            TaskKind.Multiclass => pipeline.Append(trainers.Multiclass).Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")),
            _ => pipeline.Append(trainers.Regression),
        }).Fit(split.TrainSet);
        var seconds = clock.Elapsed.TotalSeconds;
        var stopped = request.Cancellation.IsCancellationRequested;
        var metrics = Evaluate(ml, plan, model.Transform(split.TestSet));
        if (request.ModelPath is { } path && request.IsRoot)
        {
            var features = FeatureTable.Build(file, plan, [], withLabel: false, out _);
            ml.Model.Save(model, features.Schema, path);
            plan.AppendTo(path);
        }
        var note = plan.Task == TaskKind.Binary ? $"positive class: '{plan.Classes[1]}'" : null;
        return new TrainingOutcome(plan.Task, trainRows, CountRows(split.TestSet), metrics, seconds, note) { Stopped = stopped };
    }

    private static void Describe(TextWriter log, CsvFile file, TableAnalysis analysis)
    {
        var plan = analysis.Plan;
        log.WriteLine($"read {file.Rows.Count + file.SkippedRaggedRows} rows of '{file.Path}' (separator '{CsvFile.Printable(file.Separator)}')");
        if (file.SkippedRaggedRows > 0)
            log.WriteLine($"skipped {file.SkippedRaggedRows} rows with a wrong number of fields (--skip-bad-rows)");
        if (analysis.RowsWithoutLabel > 0)
            log.WriteLine($"skipped {analysis.RowsWithoutLabel} rows with no label");
        if (analysis.RowsWithBadCells > 0)
            log.WriteLine($"skipped {analysis.RowsWithBadCells} rows with a cell that is not a number (--skip-bad-rows)");
        var imputed = plan.Features.Where(c => c.Missing > 0 && c.Use is ColumnUse.Numeric or ColumnUse.Date).ToArray();
        if (imputed.Length > 0)
            log.WriteLine($"imputed {imputed.Sum(c => c.Missing)} missing values in {imputed.Length} column{(imputed.Length == 1 ? "" : "s")} " +
                "(training mean, with a missing-value indicator)");
        ColumnReport.Write(log, plan);
        if (analysis.TaskNote is { } note)
            log.WriteLine(note);
        foreach (var warning in LeakCheck.Warnings(file, analysis))
            log.WriteLine(warning);
    }

    // The classes in the plan's order, so that the key values (and the score columns) follow it.
    private static TableView ClassList(ModelPlan plan) =>
        new TableView([("Class", plan.Classes.Select(c => c.AsMemory()).ToArray())], plan.Classes.Length);

    private static (IEstimator<ITransformer> Binary, IEstimator<ITransformer> Multiclass, IEstimator<ITransformer> Regression) Trainers(
        MLContext ml, TrainingRequest request, IProgress<MlpEpochReport>? progress)
    {
        try
        {
            return (ml.BinaryClassification.Trainers.Mlp(Configure(new MlpBinaryTrainer.Options(), request, progress)),
                ml.MulticlassClassification.Trainers.Mlp(Configure(new MlpMulticlassTrainer.Options(), request, progress)),
                ml.Regression.Trainers.Mlp(Configure(new MlpRegressionTrainer.Options(), request, progress)));
        }
        catch (ArgumentException error) when (TrainerFlags.FlagOf(error.ParamName) is { } flag)
        {
            throw new CliException(TrainerFlags.Reword(error.Message, error.ParamName!, flag));
        }
    }

    private static T Configure<T>(T options, TrainingRequest request, IProgress<MlpEpochReport>? progress) where T : MlpOptionsBase
    {
        options.LabelColumnName = FeatureTable.LabelColumn;
        options.FeatureColumnName = FeaturePipeline.FeatureColumn;
        options.Preset = request.Preset;
        options.HiddenLayerSizes = request.HiddenLayerSizes ?? options.HiddenLayerSizes;
        options.NumberOfEpochs = request.Epochs;
        options.LearningRate = request.LearningRate ?? options.LearningRate;
        options.BatchSize = request.BatchSize ?? options.BatchSize;
        options.Progress = progress;
        options.ValidationFraction = request.ValidationFraction ?? options.ValidationFraction;
        options.TrainOnHeldOutRows = request.TrainOnHeldOutRows ?? options.TrainOnHeldOutRows;
        options.Tolerance = request.Tolerance ?? options.Tolerance;
        options.CheckpointPath = request.CheckpointPath;
        options.CheckpointEveryEpochs = request.CheckpointEveryEpochs ?? options.CheckpointEveryEpochs;
        options.GradientShards = request.GradientShards;
        options.Cluster = request.Cluster;
        options.CancellationToken = request.Cancellation;
        return options;
    }

    private static IReadOnlyList<(string, double)> Evaluate(MLContext ml, ModelPlan plan, IDataView scored)
    {
        switch (plan.Task)
        {
            case TaskKind.Binary:
                var binary = ml.BinaryClassification.Evaluate(scored, FeatureTable.LabelColumn);
                return [("AUC", binary.AreaUnderRocCurve), ("accuracy", binary.Accuracy), ("F1", binary.F1Score)];
            case TaskKind.Multiclass:
                var multiclass = ml.MulticlassClassification.Evaluate(scored, FeatureTable.LabelColumn);
                return [("accuracy", multiclass.MicroAccuracy), ("macro accuracy", multiclass.MacroAccuracy), ("log loss", multiclass.LogLoss)];
            default:
                var regression = ml.Regression.Evaluate(scored, FeatureTable.LabelColumn);
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
