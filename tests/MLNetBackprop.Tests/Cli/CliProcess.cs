using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Cli;

/// <summary>Runs the built command-line tool in its own process, and writes the small files its tests read.</summary>
internal static class CliProcess
{
    public const string Project = "src/MLNetBackprop.Cli";
    public const string Assembly = "mlnet-backprop";

    public static BuiltProgram.Result Run(params string[] args) => BuiltProgram.Run(Project, Assembly, args);

    /// <summary>A file shipped in data/.</summary>
    public static string Data(string file) => Path.Combine(BuiltProgram.RepositoryRoot, "data", file);

    /// <summary>Writes <paramref name="lines"/> (joined by <paramref name="newline"/>) to <paramref name="name"/> in <paramref name="folder"/>.</summary>
    public static string Write(string folder, string name, IEnumerable<string> lines, string newline = "\n")
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, string.Join(newline, lines) + newline);
        return path;
    }

    /// <summary>Asserts a zero exit code, showing the run's output otherwise.</summary>
    public static BuiltProgram.Result Succeeded(this BuiltProgram.Result run)
    {
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        return run;
    }

    /// <summary>Asserts that the run failed with one "error: " line on stderr containing every one of <paramref name="expected"/>.</summary>
    public static string FailedWith(this BuiltProgram.Result run, params string[] expected)
    {
        Assert.True(run.ExitCode != 0, run.Output);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        foreach (var text in expected)
            Assert.Contains(text, line);
        return line;
    }
}
