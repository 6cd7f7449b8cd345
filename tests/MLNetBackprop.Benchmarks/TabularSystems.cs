using Microsoft.ML;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// The systems the tabular suite compares, each the estimator an ML.NET user appends to the shared featurization:
/// <c>mlp</c> is <c>Mlp()</c> as it comes, with nothing before it; the others are ML.NET's trainers with their
/// defaults (FastTree, which has no multiclass trainer, one-versus-all as AutoML builds it), SDCA after
/// <c>NormalizeMeanVariance</c> because linear models need scaled features. <c>mlp-holdout</c> is <c>Mlp()</c> with
/// <c>TrainOnHeldOutRows = false</c>, the defaults before the held-out rows were trained on, for the side-by-side
/// comparison (the summary leaves it out of the normalized scores and the targets).
/// </summary>
internal static class TabularSystems
{
    public const string Names = "mlp|mlp-sklearn|lightgbm|fasttree|sdca|mlp-holdout";

    public static IReadOnlyList<string> All { get; } = Names.Split('|');

    public static IEstimator<ITransformer> Estimator(MLContext ml, TabularTask task, string system) => system switch
    {
        "mlp" => Mlp(ml, task),
        "mlp-sklearn" => ScikitLearnPresetTrainer(ml, task),
        "mlp-holdout" => Mlp(ml, task, trainOnHeldOutRows: false),
        "lightgbm" => ByTask<IEstimator<ITransformer>>(task, () => ml.Regression.Trainers.LightGbm(),
            () => ml.BinaryClassification.Trainers.LightGbm(), () => ml.MulticlassClassification.Trainers.LightGbm()),
        "fasttree" => ByTask<IEstimator<ITransformer>>(task, () => ml.Regression.Trainers.FastTree(),
            () => ml.BinaryClassification.Trainers.FastTree(),
            () => ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree())),
        "sdca" => ml.Transforms.NormalizeMeanVariance("Features").Append(ByTask<IEstimator<ITransformer>>(task,
            () => ml.Regression.Trainers.Sdca(), () => ml.BinaryClassification.Trainers.SdcaLogisticRegression(),
            () => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy())),
        _ => throw new ArgumentException($"Unknown system '{system}': expected {Names}.", nameof(system)),
    };

    /// <summary>
    /// <c>Mlp()</c> under <see cref="MlpPreset.ScikitLearn"/> after <c>NormalizeMeanVariance</c>, as a scikit-learn user
    /// scales features for those defaults (the preset does not scale them itself).
    /// </summary>
    public static IEstimator<ITransformer> ScikitLearnPresetTrainer(MLContext ml, TabularTask task)
        => ml.Transforms.NormalizeMeanVariance("Features").Append(Mlp(ml, task, MlpPreset.ScikitLearn));

    private static IEstimator<ITransformer> Mlp(MLContext ml, TabularTask task, MlpPreset preset = MlpPreset.Default, bool? trainOnHeldOutRows = null)
        => ByTask<IEstimator<ITransformer>>(task,
            () => ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options { Preset = preset, TrainOnHeldOutRows = trainOnHeldOutRows }),
            () => ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options { Preset = preset, TrainOnHeldOutRows = trainOnHeldOutRows }),
            () => ml.MulticlassClassification.Trainers.Mlp(new MlpMulticlassTrainer.Options { Preset = preset, TrainOnHeldOutRows = trainOnHeldOutRows }));

    private static T ByTask<T>(TabularTask task, Func<T> regression, Func<T> binary, Func<T> multiclass) => task switch
    {
        TabularTask.Regression => regression(),
        TabularTask.Binary => binary(),
        _ => multiclass(),
    };
}
