using System.Runtime.CompilerServices;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetBackprop;
using MLNetBackprop.MLNet;
using Defaults = MLNetBackprop.MlpOptionsBase.Defaults;

namespace Microsoft.ML;

/// <summary>
/// Multilayer perceptron trainers on ML.NET's trainer catalogs:
/// <c>mlContext.BinaryClassification.Trainers.Mlp()</c>, <c>mlContext.MulticlassClassification.Trainers.Mlp()</c>
/// and <c>mlContext.Regression.Trainers.Mlp()</c>.
/// </summary>
public static class MlpCatalog
{
    /// <summary>Creates an MLP binary classifier trained by backpropagation. See <see cref="MlpOptionsBase"/> for defaults.</summary>
    /// <param name="catalog">The binary classification trainer catalog.</param>
    /// <param name="labelColumnName">The label column, of type <see cref="bool"/>.</param>
    /// <param name="featureColumnName">The feature column, a known-size vector of <see cref="float"/>.</param>
    /// <param name="exampleWeightColumnName">Optional example weights (finite, non-negative floats).</param>
    /// <param name="hiddenLayerSizes">Hidden layer widths; default automatic (see <see cref="MlpOptionsBase.HiddenLayerSizes"/>).</param>
    /// <param name="numberOfEpochs">Maximum passes over the data, in [1, 1000000]; default automatic (see <see cref="MlpOptionsBase.NumberOfEpochs"/>).</param>
    /// <param name="learningRate">Adam's step size, in (0, 10]; default automatic (see <see cref="MlpOptionsBase.LearningRate"/>).</param>
    /// <param name="batchSize">Rows per mini-batch, at least 1; default <see cref="MlpOptionsBase.Defaults.BatchSize"/>.</param>
    public static MlpBinaryTrainer Mlp(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = Defaults.LabelColumnName, string featureColumnName = Defaults.FeatureColumnName,
        string? exampleWeightColumnName = null, int[]? hiddenLayerSizes = null, int? numberOfEpochs = null,
        float? learningRate = null, int batchSize = Defaults.BatchSize)
        => catalog.Mlp(Fill(new MlpBinaryTrainer.Options(), labelColumnName, featureColumnName, exampleWeightColumnName,
            hiddenLayerSizes, numberOfEpochs, learningRate, batchSize));

    /// <summary>Creates an MLP binary classifier with the given options.</summary>
    public static MlpBinaryTrainer Mlp(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, MlpBinaryTrainer.Options options)
        => new(EnvironmentOf(Require(catalog)), Require(options));

    /// <summary>Creates an MLP multiclass classifier trained by backpropagation. See <see cref="MlpOptionsBase"/> for defaults.</summary>
    /// <param name="catalog">The multiclass classification trainer catalog.</param>
    /// <param name="labelColumnName">The label column, a key (use <c>MapValueToKey</c>).</param>
    /// <param name="featureColumnName">The feature column, a known-size vector of <see cref="float"/>.</param>
    /// <param name="exampleWeightColumnName">Optional example weights (finite, non-negative floats).</param>
    /// <param name="hiddenLayerSizes">Hidden layer widths; default automatic (see <see cref="MlpOptionsBase.HiddenLayerSizes"/>).</param>
    /// <param name="numberOfEpochs">Maximum passes over the data, in [1, 1000000]; default automatic (see <see cref="MlpOptionsBase.NumberOfEpochs"/>).</param>
    /// <param name="learningRate">Adam's step size, in (0, 10]; default automatic (see <see cref="MlpOptionsBase.LearningRate"/>).</param>
    /// <param name="batchSize">Rows per mini-batch, at least 1; default <see cref="MlpOptionsBase.Defaults.BatchSize"/>.</param>
    public static MlpMulticlassTrainer Mlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = Defaults.LabelColumnName, string featureColumnName = Defaults.FeatureColumnName,
        string? exampleWeightColumnName = null, int[]? hiddenLayerSizes = null, int? numberOfEpochs = null,
        float? learningRate = null, int batchSize = Defaults.BatchSize)
        => catalog.Mlp(Fill(new MlpMulticlassTrainer.Options(), labelColumnName, featureColumnName, exampleWeightColumnName,
            hiddenLayerSizes, numberOfEpochs, learningRate, batchSize));

    /// <summary>Creates an MLP multiclass classifier with the given options.</summary>
    public static MlpMulticlassTrainer Mlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, MlpMulticlassTrainer.Options options)
        => new(EnvironmentOf(Require(catalog)), Require(options));

    /// <summary>Creates an MLP regressor trained by backpropagation. See <see cref="MlpOptionsBase"/> for defaults.</summary>
    /// <param name="catalog">The regression trainer catalog.</param>
    /// <param name="labelColumnName">The label column, of type <see cref="float"/>.</param>
    /// <param name="featureColumnName">The feature column, a known-size vector of <see cref="float"/>.</param>
    /// <param name="exampleWeightColumnName">Optional example weights (finite, non-negative floats).</param>
    /// <param name="hiddenLayerSizes">Hidden layer widths; default automatic (see <see cref="MlpOptionsBase.HiddenLayerSizes"/>).</param>
    /// <param name="numberOfEpochs">Maximum passes over the data, in [1, 1000000]; default automatic (see <see cref="MlpOptionsBase.NumberOfEpochs"/>).</param>
    /// <param name="learningRate">Adam's step size, in (0, 10]; default automatic (see <see cref="MlpOptionsBase.LearningRate"/>).</param>
    /// <param name="batchSize">Rows per mini-batch, at least 1; default <see cref="MlpOptionsBase.Defaults.BatchSize"/>.</param>
    public static MlpRegressionTrainer Mlp(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = Defaults.LabelColumnName, string featureColumnName = Defaults.FeatureColumnName,
        string? exampleWeightColumnName = null, int[]? hiddenLayerSizes = null, int? numberOfEpochs = null,
        float? learningRate = null, int batchSize = Defaults.BatchSize)
        => catalog.Mlp(Fill(new MlpRegressionTrainer.Options(), labelColumnName, featureColumnName, exampleWeightColumnName,
            hiddenLayerSizes, numberOfEpochs, learningRate, batchSize));

    /// <summary>Creates an MLP regressor with the given options.</summary>
    public static MlpRegressionTrainer Mlp(this RegressionCatalog.RegressionTrainers catalog, MlpRegressionTrainer.Options options)
        => new(EnvironmentOf(Require(catalog)), Require(options));

    private static TOptions Fill<TOptions>(TOptions options, string labelColumnName, string featureColumnName,
        string? exampleWeightColumnName, int[]? hiddenLayerSizes, int? numberOfEpochs, float? learningRate, int batchSize)
        where TOptions : MlpOptionsBase
    {
        options.LabelColumnName = labelColumnName;
        options.FeatureColumnName = featureColumnName;
        options.ExampleWeightColumnName = exampleWeightColumnName;
        options.HiddenLayerSizes = hiddenLayerSizes ?? options.HiddenLayerSizes;
        options.NumberOfEpochs = numberOfEpochs;
        options.LearningRate = learningRate ?? options.LearningRate;
        options.BatchSize = batchSize;
        return options;
    }

    private static T Require<T>(T value) where T : class => value ?? throw new ArgumentNullException(typeof(T).Name);

    // The trainers' environment, once the loaded ML.NET has passed the compatibility check. Out of line and typed
    // object, so that the public methods above name none of ML.NET's internals: the check runs before any method
    // that calls them is compiled.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IHostEnvironment EnvironmentOf(object catalog)
    {
        MlNetCompatibility.EnsureSupported();
        return CatalogUtils.GetEnvironment((IInternalCatalog)catalog);
    }
}
