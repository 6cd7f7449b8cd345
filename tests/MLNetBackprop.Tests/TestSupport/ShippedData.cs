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

    /// <summary>The features of <see cref="Linnerud"/>, in file order.</summary>
    public static readonly string[] LinnerudExercises = ["Chins", "Situps", "Jumps"];

    /// <summary>The targets of <see cref="Linnerud"/>, in file order.</summary>
    public static readonly string[] LinnerudTargets = ["Weight", "Waist", "Pulse"];

    /// <summary>Linnerud: three exercise counts (Chins, Situps, Jumps) and three physiological targets, each a float column.</summary>
    public static IDataView Linnerud(MLContext ml) => ml.Data.LoadFromTextFile(PathOf("linnerud.csv"),
        LinnerudExercises.Concat(LinnerudTargets).Select((name, i) => new TextLoader.Column(name, DataKind.Single, i)).ToArray(),
        separatorChar: ',', hasHeader: true);

    /// <summary>The tags of <see cref="DigitsTags"/>, in file order.</summary>
    public static readonly string[] DigitTags = ["Even", "Large", "Prime", "Loop"];

    /// <summary>
    /// Digits tags: the 64 pixel columns of <see cref="Digits"/> as Pixels, and four Boolean tags of the digit: one
    /// vector column Label (slot names from the header), or with <paramref name="tagColumns"/> a column each.
    /// </summary>
    public static IDataView DigitsTags(MLContext ml, bool tagColumns = false) => ml.Data.LoadFromTextFile(PathOf("digits-tags.csv"),
        [new TextLoader.Column("Pixels", DataKind.Single, 0, 63), .. tagColumns
            ? DigitTags.Select((name, i) => new TextLoader.Column(name, DataKind.Boolean, 64 + i))
            : [new TextLoader.Column("Label", DataKind.Boolean, 64, 64 + DigitTags.Length - 1)]],
        separatorChar: ',', hasHeader: true);

    /// <summary>Maps the breast-cancer diagnosis to a Boolean Label (true = malignant) in a saveable way.</summary>
    public static IEstimator<ITransformer> MalignantAsLabel(MLContext ml) => ml.Transforms.Conversion.MapValue("Label",
        [new KeyValuePair<string, bool>("malignant", true), new KeyValuePair<string, bool>("benign", false)], "Diagnosis");
}
