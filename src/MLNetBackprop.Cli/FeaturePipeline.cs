using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNetBackprop.Cli;

/// <summary>
/// The transforms from a plan's columns to the trainer's feature vector, saved in the model so that <c>predict</c> does the
/// same: missing numbers replaced by the training mean (<c>ReplaceMissingValues</c>) with a 0/1 indicator for each column
/// that had missing values in training (<c>IndicateMissingValues</c>), categorical columns one-hot encoded, free text
/// through <c>FeaturizeText</c>. The model scales its own inputs; under the scikit-learn preset, which does not, the
/// features are min-max normalized.
/// </summary>
internal static class FeaturePipeline
{
    public const string FeatureColumn = "__features";

    public static IEstimator<ITransformer> Build(MLContext ml, ModelPlan plan, MlpPreset preset)
    {
        var features = plan.Features.ToArray();
        var numeric = features.SelectMany(c => c.NumericColumns).ToArray();
        var withMissing = features.Where(c => c.Missing > 0).SelectMany(c => c.NumericColumns).ToArray();
        IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
        var parts = new List<string>();
        if (numeric.Length > 0)
        {
            pipeline = pipeline.Append(ml.Transforms.Concatenate("__numbers", numeric));
            if (withMissing.Length > 0)
            {
                pipeline = pipeline.Append(ml.Transforms.Concatenate("__missing_in", withMissing))
                    .Append(ml.Transforms.IndicateMissingValues("__missing_flags", "__missing_in"))
                    .Append(ml.Transforms.Conversion.ConvertType("__missing", "__missing_flags", DataKind.Single));
            }
            // Also for columns complete in training: a missing value at prediction gets the mean too.
            pipeline = pipeline.Append(ml.Transforms.ReplaceMissingValues("__numbers", replacementMode: MissingValueReplacingEstimator.ReplacementMode.Mean));
            parts.Add("__numbers");
            if (withMissing.Length > 0)
                parts.Add("__missing");
        }
        foreach (var column in features.Where(c => c.Use == ColumnUse.Categorical))
        {
            pipeline = pipeline.Append(ml.Transforms.Categorical.OneHotEncoding($"{column.Name}:onehot", column.Name));
            parts.Add($"{column.Name}:onehot");
        }
        foreach (var column in features.Where(c => c.Use == ColumnUse.Text))
        {
            pipeline = pipeline.Append(ml.Transforms.Text.FeaturizeText($"{column.Name}:text", column.Name));
            parts.Add($"{column.Name}:text");
        }
        if (parts.Count == 0)
            throw new CliException("no column is left to learn from; see the column table above, and drop fewer columns with --ignore");
        pipeline = pipeline.Append(ml.Transforms.Concatenate(FeatureColumn, [.. parts]));
        if (preset == MlpPreset.ScikitLearn)
            pipeline = pipeline.Append(ml.Transforms.NormalizeMinMax(FeatureColumn));
        return pipeline;
    }
}
