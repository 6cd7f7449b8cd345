namespace MLNetBackprop;

/// <summary>
/// Quality of a multi-label model on a test set, from <c>mlContext.BinaryClassification.EvaluateMultiLabel</c>,
/// defined as scikit-learn defines them: Hamming loss, subset (exact-match) accuracy, micro- and macro-averaged F1
/// of the predicted labels, and each label's area under the ROC curve of its score with their mean.
/// </summary>
public sealed class MultiLabelClassificationMetrics
{
    internal MultiLabelClassificationMetrics(string[] labelNames, double hammingLoss, double subsetAccuracy, double microF1,
        double[] perLabelF1, double[] perLabelAuc)
    {
        LabelNames = labelNames;
        HammingLoss = hammingLoss;
        SubsetAccuracy = subsetAccuracy;
        MicroF1Score = microF1;
        PerLabelF1Score = perLabelF1;
        PerLabelAreaUnderRocCurve = perLabelAuc;
    }

    /// <summary>Each label's name from the score column's slot names ("" where it has none).</summary>
    public IReadOnlyList<string> LabelNames { get; }
    /// <summary>The share of (row, label) pairs predicted wrong, in [0, 1]; lower is better.</summary>
    public double HammingLoss { get; }
    /// <summary>The share of rows whose every label is predicted right, in [0, 1].</summary>
    public double SubsetAccuracy { get; }
    /// <summary>F1 of all (row, label) pairs pooled: 2·TP / (2·TP + FP + FN).</summary>
    public double MicroF1Score { get; }
    /// <summary>Each label's F1 (0 when it has no positives, true or predicted).</summary>
    public IReadOnlyList<double> PerLabelF1Score { get; }
    /// <summary>The mean of <see cref="PerLabelF1Score"/>.</summary>
    public double MacroF1Score => PerLabelF1Score.Average();
    /// <summary>Each label's area under the ROC curve of its score (NaN for a label with one value in the test set).</summary>
    public IReadOnlyList<double> PerLabelAreaUnderRocCurve { get; }
    /// <summary>The mean of the defined values of <see cref="PerLabelAreaUnderRocCurve"/> (NaN when none is).</summary>
    public double MacroAreaUnderRocCurve => PerLabelAreaUnderRocCurve.Where(a => !double.IsNaN(a)).DefaultIfEmpty(double.NaN).Average();
}
