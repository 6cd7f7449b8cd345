using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Cli;

/// <summary>The command-line tool as a .NET tool: packed, installed from a local feed into a folder, and run as <c>mlp</c>.</summary>
public class DotnetToolTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-tool-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_packed_tool_installs_from_a_local_feed_and_trains_as_mlp()
    {
        // The build the other tests run (this configuration), packed under a version no cache can hold.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var feed = Path.Combine(_folder, "feed");
        var tools = Path.Combine(_folder, "tools");
        // Only the local feed: the package carries everything the tool needs.
        var config = CliProcess.Write(_folder, "nuget.config",
            ["<configuration><packageSources><clear />", $"<add key=\"local\" value=\"{feed}\" />", "</packageSources></configuration>"]);

        await Dotnet("pack", Path.Combine(BuiltProgram.RepositoryRoot, CliProcess.Project), "--no-build", "-c", configuration, "-o", feed, $"-p:PackageVersion={version}");
        await Dotnet("tool", "install", "MLNetBackprop.Cli", "--tool-path", tools, "--version", version, "--configfile", config);
        var mlp = Path.Combine(tools, "mlp");
        var shown = await Run(mlp, "--version");
        var trained = await Run(mlp, "train", "--data", CliProcess.Data("iris.csv"), "--label", "Label", "--epochs", "5", "--model", Path.Combine(_folder, "m.zip"));

        Assert.StartsWith(typeof(MlpOptionsBase).Assembly.GetName().Version!.ToString(3), shown); // the packages share one version
        Assert.Contains("task: multiclass", trained);
        Assert.True(File.Exists(Path.Combine(_folder, "m.zip")));
    }

    private Task<string> Dotnet(params string[] args) => Run(DotnetHost, args);

    // The dotnet that runs the tests (dotnet test sets DOTNET_HOST_PATH), so that the tool's launcher finds the same one.
    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? Environment.ProcessPath!;

    private async Task<string> Run(string program, params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ROOT"] = Path.GetDirectoryName(DotnetHost)!,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        var run = await ChildProcess.RunAsync(program, args, _folder, TimeSpan.FromMinutes(3), environment);
        Assert.True(run.ExitCode == 0, $"{program} {string.Join(' ', args)} failed:\n{run.Output}\n{run.Error}");
        return run.Output;
    }
}
