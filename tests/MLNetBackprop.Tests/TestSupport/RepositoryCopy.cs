namespace MLNetBackprop.Tests.TestSupport;

/// <summary>
/// Parts of the repository copied into a temporary folder without their bin and obj folders, so a build there starts
/// from no build state at all and leaves the checkout's own builds alone. Deleted on dispose.
/// </summary>
internal sealed class RepositoryCopy : IDisposable
{
    /// <summary>Copies <paramref name="folders"/> and <paramref name="files"/> (paths relative to the repository root).</summary>
    public RepositoryCopy(string prefix, IEnumerable<string> folders, IEnumerable<string> files)
    {
        Root = Directory.CreateTempSubdirectory(prefix).FullName;
        foreach (var folder in folders)
            CopyFolder(new DirectoryInfo(Path.Combine(BuiltProgram.RepositoryRoot, folder)), Path.Combine(Root, folder));
        foreach (var file in files)
            File.Copy(Path.Combine(BuiltProgram.RepositoryRoot, file), Path.Combine(Root, file));
    }

    /// <summary>The copy's root folder.</summary>
    public string Root { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static void CopyFolder(DirectoryInfo source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in source.GetFiles())
            file.CopyTo(Path.Combine(target, file.Name));
        foreach (var folder in source.GetDirectories().Where(d => d.Name is not ("bin" or "obj")))
            CopyFolder(folder, Path.Combine(target, folder.Name));
    }
}
