using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>Loads the real data sets the repository ships under data/.</summary>
internal static class ShippedData
{
    public static string Folder { get; } = Path.Combine(BuiltProgram.RepositoryRoot, "data");

    public static string PathOf(string file) => Path.Combine(Folder, file);

    /// <summary>Digits: 64 pixel columns (0-16) and a numeric Label 0-9, as raw columns to be concatenated.</summary>
    public static IDataView Digits(MLContext ml) => ml.Data.LoadFromTextFile(PathOf("digits.csv"),
        [new TextLoader.Column("Pixels", DataKind.Single, 0, 63), new TextLoader.Column("Label", DataKind.Single, 64)],
        separatorChar: ',', hasHeader: true);

    /// <summary>Breast cancer: 30 features and a text Diagnosis ("malignant" / "benign").</summary>
    public static IDataView BreastCancer(MLContext ml) => ml.Data.LoadFromTextFile(PathOf("breast_cancer.csv"),
        [new TextLoader.Column("Measurements", DataKind.Single, 0, 29), new TextLoader.Column("Diagnosis", DataKind.String, 30)],
        separatorChar: ',', hasHeader: true);

    /// <summary>Diabetes: ten raw features and the disease progression as Label.</summary>
    public static IDataView Diabetes(MLContext ml) => ml.Data.LoadFromTextFile(PathOf("diabetes.csv"),
        [new TextLoader.Column("Measurements", DataKind.Single, 0, 9), new TextLoader.Column("Label", DataKind.Single, 10)],
        separatorChar: ',', hasHeader: true);

    /// <summary>Iris: four measurements and a text species Label.</summary>
    public static IDataView Iris(MLContext ml) => ml.Data.LoadFromTextFile(PathOf("iris.csv"),
        [new TextLoader.Column("Measurements", DataKind.Single, 0, 3), new TextLoader.Column("Label", DataKind.String, 4)],
        separatorChar: ',', hasHeader: true);

    /// <summary>Maps the breast-cancer diagnosis to a Boolean Label (true = malignant) in a saveable way.</summary>
    public static IEstimator<ITransformer> MalignantAsLabel(MLContext ml) => ml.Transforms.Conversion.MapValue("Label",
        [new KeyValuePair<string, bool>("malignant", true), new KeyValuePair<string, bool>("benign", false)], "Diagnosis");
}
