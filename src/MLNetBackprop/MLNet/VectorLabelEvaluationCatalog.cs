using Microsoft.ML.Data;
using MLNetBackprop;

namespace Microsoft.ML;

/// <summary>
/// Evaluators for the models of vector labels that ML.NET lacks: <c>mlContext.Regression.EvaluateMultiOutput</c>
/// for multi-output regression and <c>mlContext.BinaryClassification.EvaluateMultiLabel</c> for multi-label
/// classification. They read scored data, such as <c>model.Transform(testData)</c>.
/// </summary>
public static class VectorLabelEvaluationCatalog
{
    /// <summary>Evaluates multi-output regression: each target's R², RMSE and MAE, and their averages.</summary>
    /// <param name="catalog">The regression catalog.</param>
    /// <param name="data">Scored data.</param>
    /// <param name="labelColumnName">The label column, a known-size vector of <see cref="float"/>.</param>
    /// <param name="scoreColumnName">The score column, a vector of <see cref="float"/> of the label's size.</param>
    public static MultiOutputRegressionMetrics EvaluateMultiOutput(this RegressionCatalog catalog, IDataView data,
        string labelColumnName = DefaultColumnNames.Label, string scoreColumnName = DefaultColumnNames.Score)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        var size = VectorColumn(data.Schema, labelColumnName, NumberDataViewType.Single, "label", "multi-output regression");
        VectorColumn(data.Schema, scoreColumnName, NumberDataViewType.Single, "score", "multi-output regression", size);
        var score = data.Schema[scoreColumnName];
        var sums = new double[size, 6]; // n, Σy, Σy², Σ(y−ŷ)², Σ|y−ŷ| per target
        using (var cursor = data.GetRowCursor([data.Schema[labelColumnName], score]))
        {
            var getLabel = cursor.GetGetter<VBuffer<float>>(data.Schema[labelColumnName]);
            var getScore = cursor.GetGetter<VBuffer<float>>(score);
            var (label, predicted) = (default(VBuffer<float>), default(VBuffer<float>));
            var (y, yHat) = (new float[size], new float[size]);
            while (cursor.MoveNext())
            {
                getLabel(ref label);
                getScore(ref predicted);
                label.CopyTo(y);
                predicted.CopyTo(yHat);
                for (var j = 0; j < size; j++)
                {
                    if (!float.IsFinite(y[j]))
                        continue;
                    var error = (double)y[j] - yHat[j];
                    sums[j, 0]++;
                    sums[j, 1] += y[j];
                    sums[j, 2] += (double)y[j] * y[j];
                    sums[j, 3] += error * error;
                    sums[j, 4] += Math.Abs(error);
                }
            }
        }
        var (r2, rmse, mae) = (new double[size], new double[size], new double[size]);
        for (var j = 0; j < size; j++)
        {
            var n = sums[j, 0];
            var total = sums[j, 2] - sums[j, 1] * sums[j, 1] / n;
            r2[j] = total > 0 ? 1 - sums[j, 3] / total : double.NaN;
            rmse[j] = Math.Sqrt(sums[j, 3] / n);
            mae[j] = sums[j, 4] / n;
        }
        return new MultiOutputRegressionMetrics(SlotNames(score, size), r2, rmse, mae);
    }

    /// <summary>
    /// Evaluates multi-label classification: Hamming loss, subset accuracy, micro and macro F1 of the predicted labels,
    /// and each label's ROC AUC of its score with their mean.
    /// </summary>
    /// <param name="catalog">The binary classification catalog.</param>
    /// <param name="data">Scored data.</param>
    /// <param name="labelColumnName">The label column, a known-size vector of <see cref="bool"/>.</param>
    /// <param name="scoreColumnName">The score column (logits or probabilities), a vector of <see cref="float"/> of the label's size.</param>
    /// <param name="predictedLabelColumnName">The predicted labels, a vector of <see cref="bool"/> of the label's size (a multi-label MLP's <c>PredictedLabels</c>).</param>
    public static MultiLabelClassificationMetrics EvaluateMultiLabel(this BinaryClassificationCatalog catalog, IDataView data,
        string labelColumnName = DefaultColumnNames.Label, string scoreColumnName = DefaultColumnNames.Score,
        string predictedLabelColumnName = "PredictedLabels")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        const string task = "multi-label classification";
        var size = VectorColumn(data.Schema, labelColumnName, BooleanDataViewType.Instance, "label", task);
        VectorColumn(data.Schema, scoreColumnName, NumberDataViewType.Single, "score", task, size);
        VectorColumn(data.Schema, predictedLabelColumnName, BooleanDataViewType.Instance, "predicted label", task, size);
        var (labelColumn, scoreColumn, predictedColumn) = (data.Schema[labelColumnName], data.Schema[scoreColumnName], data.Schema[predictedLabelColumnName]);
        var counts = new long[size, 3]; // TP, FP, FN per label
        var scores = Enumerable.Range(0, size).Select(_ => new List<(float Score, bool Label)>()).ToArray();
        long rows = 0, exact = 0, wrong = 0;
        using (var cursor = data.GetRowCursor([labelColumn, scoreColumn, predictedColumn]))
        {
            var getLabel = cursor.GetGetter<VBuffer<bool>>(labelColumn);
            var getScore = cursor.GetGetter<VBuffer<float>>(scoreColumn);
            var getPredicted = cursor.GetGetter<VBuffer<bool>>(predictedColumn);
            var (label, score, predicted) = (default(VBuffer<bool>), default(VBuffer<float>), default(VBuffer<bool>));
            var (y, s, p) = (new bool[size], new float[size], new bool[size]);
            while (cursor.MoveNext())
            {
                getLabel(ref label);
                getScore(ref score);
                getPredicted(ref predicted);
                label.CopyTo(y);
                score.CopyTo(s);
                predicted.CopyTo(p);
                rows++;
                var allRight = true;
                for (var j = 0; j < size; j++)
                {
                    scores[j].Add((s[j], y[j]));
                    if (y[j] != p[j])
                    {
                        wrong++;
                        allRight = false;
                        counts[j, y[j] ? 2 : 1]++;
                    }
                    else if (y[j])
                        counts[j, 0]++;
                }
                exact += allRight ? 1 : 0;
            }
        }
        if (rows == 0)
            throw new ArgumentException("The data has no rows to evaluate.", nameof(data));
        long tp = 0, fp = 0, fn = 0;
        var f1 = new double[size];
        for (var j = 0; j < size; j++)
        {
            (tp, fp, fn) = (tp + counts[j, 0], fp + counts[j, 1], fn + counts[j, 2]);
            f1[j] = F1(counts[j, 0], counts[j, 1], counts[j, 2]);
        }
        return new MultiLabelClassificationMetrics(SlotNames(scoreColumn, size), wrong / (double)(rows * size), exact / (double)rows,
            F1(tp, fp, fn), f1, scores.Select(AreaUnderRocCurve).ToArray());
    }

    private static double F1(long tp, long fp, long fn) => tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);

    // The Mann–Whitney statistic: the chance that a random positive scores above a random negative, ties counting half.
    private static double AreaUnderRocCurve(List<(float Score, bool Label)> pairs)
    {
        var sorted = pairs.OrderBy(p => p.Score).ToArray();
        long positives = sorted.Count(p => p.Label), negatives = sorted.Length - positives;
        if (positives == 0 || negatives == 0)
            return double.NaN;
        double rankSum = 0;
        for (var start = 0; start < sorted.Length;)
        {
            var end = start;
            while (end < sorted.Length && sorted[end].Score == sorted[start].Score)
                end++;
            var midRank = (start + 1 + end) / 2.0; // ranks start..end-1, 1-based
            for (var k = start; k < end; k++)
                rankSum += sorted[k].Label ? midRank : 0;
            start = end;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }

    // The size of a known-size vector column of `item`, or a clear error naming the column and what it must be.
    private static int VectorColumn(DataViewSchema schema, string name, DataViewType item, string role, string task, int? size = null)
    {
        if (schema.GetColumnOrNull(name) is not { } column)
            throw new ArgumentOutOfRangeException(nameof(name), $"The {role} column '{name}' was not found in the data; {task} evaluation needs it.");
        var needed = $"a vector of {item.RawType.Name}{(size is { } n ? $" of size {n}" : " of known size")}";
        if (column.Type is not VectorDataViewType { IsKnownSize: true } vector || vector.ItemType != item || (size is { } s && vector.Size != s))
            throw new ArgumentOutOfRangeException(nameof(name),
                $"The {role} column '{name}' is {column.Type}; {task} evaluation needs {needed}. " +
                "Score the data with a model trained on a vector label (model.Transform(testData)).");
        return vector.Size;
    }

    private static string[] SlotNames(DataViewSchema.Column column, int size)
    {
        var names = new string[size];
        Array.Fill(names, "");
        if (!column.HasSlotNames(size))
            return names;
        var buffer = default(VBuffer<ReadOnlyMemory<char>>);
        column.GetSlotNames(ref buffer);
        var dense = buffer.DenseValues().ToArray();
        for (var j = 0; j < size; j++)
            names[j] = dense[j].ToString();
        return names;
    }
}
