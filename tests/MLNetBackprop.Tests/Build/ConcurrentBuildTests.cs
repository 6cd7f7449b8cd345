using System.Diagnostics;
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

    private readonly string _root = Directory.CreateTempSubdirectory("mlp-concurrent-build-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Two_consumers_building_the_library_at_once_both_succeed()
    {
        CopyRepositoryParts();
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
        var publicized = Path.Combine(_root, "src", "MLNetBackprop", "obj", "publicized");
        Assert.Equal(
            ["Microsoft.ML.Core.dll", "Microsoft.ML.Data.dll", "Microsoft.ML.DataView.dll"],
            Directory.GetFiles(publicized, "*.dll").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private void CopyRepositoryParts()
    {
        foreach (var folder in CopiedFolders)
            CopyFolder(new DirectoryInfo(Path.Combine(BuiltProgram.RepositoryRoot, folder)), Path.Combine(_root, folder));
        foreach (var file in CopiedFiles)
            File.Copy(Path.Combine(BuiltProgram.RepositoryRoot, file), Path.Combine(_root, file));
    }

    // Leaves out bin and obj so that the copy starts with no build state at all.
    private static void CopyFolder(DirectoryInfo source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in source.GetFiles())
            file.CopyTo(Path.Combine(target, file.Name));
        foreach (var folder in source.GetDirectories().Where(d => d.Name is not ("bin" or "obj")))
            CopyFolder(folder, Path.Combine(target, folder.Name));
    }

    private string WriteConsumer(string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "consumers", name)).FullName;
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

    private static async Task<BuiltProgram.Result> Dotnet(string command, string projectFolder, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = projectFolder,
        };
        // The test host may run under MSBuild's environment; the child builds must find their own MSBuild and SDK.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.ArgumentList.Add(command);
        // No compiler server or build nodes outlive the test.
        if (command == "build")
            start.ArgumentList.Add("--disable-build-servers");
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(BuildTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new BuiltProgram.Result(process.ExitCode, await output, await error);
    }
}
