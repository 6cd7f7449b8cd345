using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Cli;

/// <summary>The real data sets in the repository's data/ folder, each with the pipeline that prepares it.</summary>
internal static class ShippedDataSets
{
    /// <summary>Finds data/ above the working directory or the program's folder.</summary>
    public static string FindFolder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "data", "digits.csv")))
                    return Path.Combine(dir.FullName, "data");
        throw new DirectoryNotFoundException("The data/ folder with digits.csv was not found; run from the repository.");
    }

    public static IDataView Load(MLContext ml, string folder, string file, int featureCount, DataKind labelKind) =>
        ml.Data.LoadFromTextFile(Path.Combine(folder, file),
            [new TextLoader.Column("Measurements", DataKind.Single, 0, featureCount - 1), new TextLoader.Column("Label", labelKind, featureCount)],
            separatorChar: ',', hasHeader: true);
}
