using System.Globalization;

namespace MLNetBackprop.Publicizer;

/// <summary>
/// Writes one publicized assembly so that readers never see a partial file and unchanged inputs are not written again.
/// Next to each output a <c>.stamp</c> file records what it was made from: the input's path, size and last-write time,
/// the pinned version and this program's own build (module version id). Callers hold the folder's
/// <see cref="OutputFolderLock"/>.
/// </summary>
public static class PublicizedOutput
{
    /// <summary>
    /// Publicizes <paramref name="inputPath"/> into <paramref name="outputPath"/> unless the output is already up to date.
    /// Returns whether it wrote the output.
    /// </summary>
    /// <exception cref="InvalidOperationException">The assembly's file version is not the pinned one.</exception>
    public static bool WriteIfOutOfDate(string inputPath, string outputPath, Version expectedVersion, IEnumerable<string> searchFolders)
    {
        var stampPath = outputPath + ".stamp";
        var stamp = Stamp(inputPath, expectedVersion);
        if (File.Exists(outputPath) && File.Exists(stampPath) && File.ReadAllText(stampPath) == stamp)
            return false;

        // A stale stamp must not outlive the output it describes, whatever happens between the two moves below.
        File.Delete(stampPath);
        // Same folder as the target, so the move is a rename: a build reading the output sees the old file or the new one.
        var temporary = TemporaryPath(outputPath);
        try
        {
            AssemblyPublicizer.Publicize(inputPath, temporary, expectedVersion, searchFolders);
            File.Move(temporary, outputPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        var temporaryStamp = TemporaryPath(stampPath);
        File.WriteAllText(temporaryStamp, stamp);
        File.Move(temporaryStamp, stampPath, overwrite: true);
        return true;
    }

    private static string TemporaryPath(string path) => $"{path}.{Guid.NewGuid():N}.tmp";

    private static string Stamp(string inputPath, Version expectedVersion)
    {
        var input = new FileInfo(inputPath);
        var publicizer = typeof(PublicizedOutput).Assembly.ManifestModule.ModuleVersionId;
        return string.Join('\n',
            input.FullName,
            input.Length.ToString(CultureInfo.InvariantCulture),
            input.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture),
            expectedVersion.ToString(),
            publicizer.ToString("N")) + "\n";
    }
}
