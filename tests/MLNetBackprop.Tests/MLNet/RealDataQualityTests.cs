using Microsoft.ML;
using MLNetBackprop.Tests.TestSupport;
using Xunit.Abstractions;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>
/// End-to-end pipelines on the shipped real data sets with the trainers' defaults, through TrainTestSplit,
/// normalization and ML.NET's own Evaluate. The floors are out of reach of a broken backward pass.
/// </summary>
public class RealDataQualityTests(ITestOutputHelper output)
{
    [Fact]
    public void Default_multiclass_mlp_reaches_95_percent_accuracy_on_held_out_digits()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(ShippedData.Digits(ml), testFraction: 0.2, seed: 1);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", "Pixels"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.Mlp())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

        var model = pipeline.Fit(split.TrainSet);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));

        output.WriteLine($"digits test accuracy {metrics.MicroAccuracy:F4}");
        Assert.True(metrics.MicroAccuracy >= 0.95, $"digits test accuracy {metrics.MicroAccuracy:F4} < 0.95");
    }

    [Fact]
    public void Default_binary_mlp_scores_breast_cancer_alike_on_raw_min_max_and_mean_variance_features()
    {
        // The raw measurements span 0.05 (smoothness) to 4254 (worst area): the model's own input scaling makes the
        // user's normalizer, or its absence, make no real difference.
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(ShippedData.BreastCancer(ml), testFraction: 0.2, seed: 1);
        var features = ShippedData.MalignantAsLabel(ml).Append(ml.Transforms.Concatenate("Features", "Measurements"));
        (double Auc, double Accuracy) Evaluate(IEstimator<ITransformer> prepare)
        {
            var model = prepare.Append(ml.BinaryClassification.Trainers.Mlp()).Fit(split.TrainSet);
            var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet));
            return (metrics.AreaUnderRocCurve, metrics.Accuracy);
        }

        var raw = Evaluate(features);
        var minMax = Evaluate(features.Append(ml.Transforms.NormalizeMinMax("Features")));
        var meanVariance = Evaluate(features.Append(ml.Transforms.NormalizeMeanVariance("Features")));

        output.WriteLine($"breast cancer test AUC / accuracy: raw {raw}, min-max {minMax}, mean-variance {meanVariance}");
        foreach (var (auc, accuracy) in new[] { raw, minMax, meanVariance })
        {
            Assert.True(auc >= 0.98, $"AUC {auc:F4} < 0.98");
            Assert.InRange(accuracy, raw.Accuracy - 0.03, raw.Accuracy + 0.03);
        }
    }

    [Fact]
    public void Default_binary_mlp_reaches_auc_098_on_held_out_breast_cancer()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(ShippedData.BreastCancer(ml), testFraction: 0.2, seed: 1);
        var pipeline = ShippedData.MalignantAsLabel(ml)
            .Append(ml.Transforms.Concatenate("Features", "Measurements"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.BinaryClassification.Trainers.Mlp());

        var model = pipeline.Fit(split.TrainSet);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet));

        output.WriteLine($"breast cancer test AUC {metrics.AreaUnderRocCurve:F4}, accuracy {metrics.Accuracy:F4}");
        Assert.True(metrics.AreaUnderRocCurve >= 0.98, $"breast cancer test AUC {metrics.AreaUnderRocCurve:F4} < 0.98");
        Assert.True(metrics.Accuracy >= 0.9, $"breast cancer test accuracy {metrics.Accuracy:F4} < 0.9");
    }

    [Fact]
    public void Default_regression_mlp_is_within_005_r_squared_of_mlnet_linear_regression_on_diabetes()
    {
        // 442 rows: one split's test R² moves by several hundredths with the split alone, so compare means over five.
        var ml = new MLContext(seed: 1);
        var prepare = ml.Transforms.Concatenate("Features", "Measurements")
            .Append(ml.Transforms.NormalizeMinMax("Features"));
        double mlpR2 = 0, linearR2 = 0;
        for (var seed = 1; seed <= 5; seed++)
        {
            var split = ml.Data.TrainTestSplit(ShippedData.Diabetes(ml), testFraction: 0.2, seed: seed);
            var mlp = prepare.Append(ml.Regression.Trainers.Mlp()).Fit(split.TrainSet);
            var linear = prepare.Append(ml.Regression.Trainers.Sdca()).Fit(split.TrainSet);
            mlpR2 += ml.Regression.Evaluate(mlp.Transform(split.TestSet)).RSquared / 5;
            linearR2 += ml.Regression.Evaluate(linear.Transform(split.TestSet)).RSquared / 5;
        }

        output.WriteLine($"diabetes test R², mean of 5 splits: MLP {mlpR2:F4}, ML.NET SDCA linear regression {linearR2:F4}");
        Assert.True(linearR2 > 0.2, $"the linear baseline R² {linearR2:F4} is too low to compare against");
        Assert.True(mlpR2 >= linearR2 - 0.05, $"MLP R² {mlpR2:F4} is more than 0.05 below ML.NET's linear regression ({linearR2:F4})");
    }
}
