using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Build;

/// <summary>
/// Two consumer projects that reference the library, built at the same time from one checkout (two <c>dotnet build</c>
/// processes): both builds run the publicizer step on the same <c>obj/publicized/</c> folder, which once failed with
/// exit code 1 when they wrote the same file together. The library is built from a fresh copy with empty obj
/// folders, so the step really runs, and the test's own build is left alone.
/// </summary>
public sealed class ConcurrentBuildTests : IDisposable
{
    private static readonly string[] CopiedFolders = ["src/MLNetBackprop", "src/MLNetBackprop.Publicizer"];
    private static readonly string[] CopiedFiles = ["Directory.Build.props", "global.json", ".editorconfig"];
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    private readonly RepositoryCopy _copy = new("mlp-concurrent-build-", CopiedFolders, CopiedFiles);

    public void Dispose() => _copy.Dispose();

    [Fact]
    public async Task Two_consumers_building_the_library_at_once_both_succeed()
    {
        var consumers = new[] { WriteConsumer("ConsumerA"), WriteConsumer("ConsumerB") };
        // Restore one after the other: concurrent restores of one project are NuGet's business; this test is about the build.
        foreach (var consumer in consumers)
        {
            var restore = await Dotnet("restore", consumer).WaitAsync(BuildTimeout);
            Assert.True(restore.ExitCode == 0, restore.Output + restore.Error);
        }

        var builds = consumers.Select(consumer => Dotnet("build", consumer, "--no-restore")).ToArray();
        var results = await Task.WhenAll(builds).WaitAsync(BuildTimeout);

        foreach (var result in results)
            Assert.True(result.ExitCode == 0, result.Output + result.Error);
        var publicized = Path.Combine(_copy.Root, "src", "MLNetBackprop", "obj", "publicized");
        Assert.Equal(
            ["Microsoft.ML.Core.dll", "Microsoft.ML.Data.dll", "Microsoft.ML.DataView.dll"],
            Directory.GetFiles(publicized, "*.dll").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private string WriteConsumer(string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_copy.Root, "consumers", name)).FullName;
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <ProjectReference Include="../../src/MLNetBackprop/MLNetBackprop.csproj" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Consumer.cs"), $$"""
            namespace {{name}};

            public static class Consumer
            {
                public static System.Type Trainer => typeof(MLNetBackprop.TrainingDivergedException);
            }

            """);
        return folder;
    }

    private static Task<BuiltProgram.Result> Dotnet(string command, string projectFolder, params string[] args) =>
        // No compiler server or build nodes outlive the test.
        ChildProcess.RunAsync("dotnet", [command, .. command == "build" ? ["--disable-build-servers"] : Array.Empty<string>(), .. args],
            projectFolder, BuildTimeout);
}
