using Microsoft.ML;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// A fitted system's figures on the test rows: the headline metric the suite ranks systems by (R², or accuracy) and
/// a secondary one printed beside it (RMSE; AUC for binary, log-loss for multiclass).
/// </summary>
internal readonly record struct TabularScore(string Metric, double Score, string Secondary)
{
    public static TabularScore Evaluate(MLContext ml, TabularTask task, IDataView predictions)
    {
        switch (task)
        {
            case TabularTask.Regression:
                var regression = ml.Regression.Evaluate(predictions);
                return new("r2", regression.RSquared, $"rmse={regression.RootMeanSquaredError:G6}");
            case TabularTask.Binary:
                // Every system here outputs a probability, but a trainer that gave only a score still gets its
                // accuracy and AUC.
                var binary = predictions.Schema.GetColumnOrNull("Probability") is null
                    ? ml.BinaryClassification.EvaluateNonCalibrated(predictions)
                    : ml.BinaryClassification.Evaluate(predictions);
                return new("accuracy", binary.Accuracy, $"auc={binary.AreaUnderRocCurve:F4}");
            default:
                var multiclass = ml.MulticlassClassification.Evaluate(predictions);
                return new("accuracy", multiclass.MicroAccuracy, $"log_loss={multiclass.LogLoss:F4}");
        }
    }
}
