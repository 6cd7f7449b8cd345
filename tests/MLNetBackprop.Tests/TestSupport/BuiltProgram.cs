using System.Diagnostics;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>Runs a console program of this repository, built next to the tests (same configuration), in its own process.</summary>
internal static class BuiltProgram
{
    /// <summary>The exit code and the two output streams of one run.</summary>
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>
    /// Runs <c>dotnet</c> on <paramref name="assemblyName"/>.dll from the bin folder of the project at
    /// <paramref name="projectPath"/> (relative to the repository root), in <paramref name="workingDirectory"/>, with
    /// <paramref name="environment"/> added to the process's environment variables.
    /// </summary>
    public static Result Run(string projectPath, string assemblyName, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(projectPath, assemblyName, args, workingDirectory, environment);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(180_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{assemblyName} {string.Join(' ', args)} did not finish within 3 minutes");
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Starts the program with redirected output and returns at once (the caller reads, waits or kills).</summary>
    public static Process Start(string projectPath, string assemblyName, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(Locate(projectPath, assemblyName));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        return Process.Start(start)!;
    }

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The built <paramref name="assemblyName"/>.dll of the project at <paramref name="projectPath"/>, for a launcher such as mpiexec.</summary>
    public static string Locate(string projectPath, string assemblyName)
    {
        // The tests run from tests/MLNetBackprop.Tests/bin/<configuration>/<framework>/.
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!;
        var path = Path.Combine(RepositoryRoot, projectPath, "bin", configuration.Name, framework.Name, assemblyName + ".dll");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is not built; build the solution first.");
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MLNetBackprop.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"MLNetBackprop.sln not found above {AppContext.BaseDirectory}");
    }
}
