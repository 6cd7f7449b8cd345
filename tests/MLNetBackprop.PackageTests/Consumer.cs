using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.PackageTests;

/// <summary>What the consumer project was built with, and the shipped iris data it trains on.</summary>
internal static class Consumer
{
    /// <summary>The Microsoft.ML version the consumer references (ConsumerMicrosoftMLVersion).</summary>
    public static string MicrosoftMLVersion => Metadata("ConsumerMicrosoftMLVersion");

    /// <summary>The MLNetBackprop package version under test.</summary>
    public static string PackageVersion => Metadata("MLNetBackpropPackageVersion");

    /// <summary>The repository this consumer was built from.</summary>
    public static string RepositoryRoot => Path.GetFullPath(Metadata("RepositoryRoot"));

    /// <summary>The informational version of the Microsoft.ML assembly loaded in this process, without the commit.</summary>
    public static string LoadedMicrosoftMLVersion => typeof(MLContext).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    /// <summary>The shipped iris data: four measurements and a text species Label.</summary>
    public static string IrisPath => Path.Combine(RepositoryRoot, "data", "iris.csv");

    /// <summary>Loads <see cref="IrisPath"/>.</summary>
    public static IDataView Iris(MLContext ml) => ml.Data.LoadFromTextFile(IrisPath,
        [new TextLoader.Column("Measurements", DataKind.Single, 0, 3), new TextLoader.Column("Label", DataKind.String, 4)],
        separatorChar: ',', hasHeader: true);

    /// <summary>Species from the measurements: key label, concatenation, normalization, the MLP, key back to text.</summary>
    public static IEstimator<ITransformer> IrisPipeline(MLContext ml) => ml.Transforms.Conversion.MapValueToKey("Label")
        .Append(ml.Transforms.Concatenate("Features", "Measurements"))
        .Append(ml.Transforms.NormalizeMinMax("Features"))
        .Append(ml.MulticlassClassification.Trainers.Mlp(hiddenLayerSizes: [16], learningRate: 0.01f, batchSize: 16))
        .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    private static string Metadata(string key) => typeof(Consumer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == key).Value ?? throw new InvalidOperationException($"{key} is not set");
}
