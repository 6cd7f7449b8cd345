namespace MLNetBackprop;

/// <summary>
/// Quality of a multi-output regression model on a test set, from
/// <c>mlContext.Regression.EvaluateMultiOutput</c>: each target's R², RMSE and MAE, and their plain (uniform)
/// averages over the targets, as scikit-learn's <c>uniform_average</c>. A row's missing (NaN) target counts for
/// no figure of that target.
/// </summary>
public sealed class MultiOutputRegressionMetrics
{
    internal MultiOutputRegressionMetrics(string[] targetNames, double[] rSquared, double[] rootMeanSquaredError, double[] meanAbsoluteError)
    {
        TargetNames = targetNames;
        PerTargetRSquared = rSquared;
        PerTargetRootMeanSquaredError = rootMeanSquaredError;
        PerTargetMeanAbsoluteError = meanAbsoluteError;
    }

    /// <summary>Each target's name from the score column's slot names ("" where it has none).</summary>
    public IReadOnlyList<string> TargetNames { get; }
    /// <summary>Each target's coefficient of determination, 1 − SSE/SST (NaN for a constant target).</summary>
    public IReadOnlyList<double> PerTargetRSquared { get; }
    /// <summary>Each target's root mean squared error, in label units.</summary>
    public IReadOnlyList<double> PerTargetRootMeanSquaredError { get; }
    /// <summary>Each target's mean absolute error, in label units.</summary>
    public IReadOnlyList<double> PerTargetMeanAbsoluteError { get; }
    /// <summary>The mean of <see cref="PerTargetRSquared"/>.</summary>
    public double AverageRSquared => PerTargetRSquared.Average();
    /// <summary>The mean of <see cref="PerTargetRootMeanSquaredError"/>.</summary>
    public double AverageRootMeanSquaredError => PerTargetRootMeanSquaredError.Average();
    /// <summary>The mean of <see cref="PerTargetMeanAbsoluteError"/>.</summary>
    public double AverageMeanAbsoluteError => PerTargetMeanAbsoluteError.Average();
}
