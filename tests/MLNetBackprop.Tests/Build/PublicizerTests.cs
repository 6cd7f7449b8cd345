using System.Diagnostics;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Build;

/// <summary>
/// The publicizer program the library's build runs (src/MLNetBackprop.Publicizer), run in its own process on the ML.NET
/// assemblies next to the tests: concurrent runs on one output folder, determinism, the pinned-version check.
/// </summary>
public sealed class PublicizerTests : IDisposable
{
    private static readonly string[] Assemblies = ["Microsoft.ML.Core", "Microsoft.ML.Data", "Microsoft.ML.DataView"];

    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-publicizer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string[] Inputs => Assemblies.Select(a => Path.Combine(AppContext.BaseDirectory, a + ".dll")).ToArray();

    // The version the tests were built against is the pinned one (both come from $(MicrosoftMLVersion)).
    private static string PinnedVersion => FileVersionInfo.GetVersionInfo(Inputs[0]).ProductVersion!.Split('+')[0];

    private static string[] Arguments(string version, string output, params string[] extra) => [version, output, .. Inputs, .. extra];

    private static Process Start(params string[] args) => BuiltProgram.Start("src/MLNetBackprop.Publicizer", "MLNetBackprop.Publicizer", args);

    private static BuiltProgram.Result Run(params string[] args) => BuiltProgram.Run("src/MLNetBackprop.Publicizer", "MLNetBackprop.Publicizer", args);

    [Fact]
    public async Task Concurrent_runs_on_one_output_folder_all_succeed_and_write_what_a_single_run_writes()
    {
        var shared = Path.Combine(_folder, "shared");
        var alone = Path.Combine(_folder, "alone");

        var runs = Enumerable.Range(0, 4).Select(_ => Start(Arguments(PinnedVersion, shared))).ToList();
        var results = await Task.WhenAll(runs.Select(Finish));
        var single = Run(Arguments(PinnedVersion, alone));

        foreach (var result in results)
            Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.True(single.ExitCode == 0, single.Output + single.Error);
        foreach (var assembly in Assemblies)
            Assert.Equal(File.ReadAllBytes(Path.Combine(alone, assembly + ".dll")), File.ReadAllBytes(Path.Combine(shared, assembly + ".dll")));
        // Exactly one run did the work; the others waited for the lock and found the outputs up to date.
        Assert.Equal(Assemblies.Length, results.Sum(r => Count(r.Output, "publicized ")));
        Assert.Empty(Directory.GetFiles(shared, "*.tmp"));
    }

    [Fact]
    public void A_second_run_on_the_same_inputs_leaves_the_outputs_untouched()
    {
        var first = Run(Arguments(PinnedVersion, _folder));
        var written = Assemblies.Select(a => File.GetLastWriteTimeUtc(Path.Combine(_folder, a + ".dll"))).ToList();
        var second = Run(Arguments(PinnedVersion, _folder));

        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.True(second.ExitCode == 0, second.Output + second.Error);
        Assert.Equal(Assemblies.Length, Count(second.Output, "up to date"));
        Assert.Equal(written, Assemblies.Select(a => File.GetLastWriteTimeUtc(Path.Combine(_folder, a + ".dll"))));
    }

    [Fact]
    public void Another_ML_NET_version_fails_loudly_and_writes_nothing()
    {
        var run = Run(Arguments("4.0.0", _folder));

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("Pin Microsoft.ML to 4.0.0", run.Error);
        Assert.Empty(Directory.GetFiles(_folder, "*.dll"));
    }

    [Fact]
    public void A_lock_held_too_long_gives_an_error_that_names_the_lock_file()
    {
        var lockFile = Path.Combine(_folder, ".lock");
        using (new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var run = Run(Arguments(PinnedVersion, _folder, "--lock-timeout", "1"));

            Assert.Equal(3, run.ExitCode);
            Assert.Contains(lockFile, run.Error);
        }
        Assert.Empty(Directory.GetFiles(_folder, "*.dll"));
    }

    private static async Task<BuiltProgram.Result> Finish(Process process)
    {
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
            return new BuiltProgram.Result(process.ExitCode, await output, await error);
        }
    }

    private static int Count(string text, string part) => text.Split('\n').Count(line => line.Contains(part, StringComparison.Ordinal));
}
