using System.Diagnostics;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Mpi;

/// <summary>Runs a program of this repository (the MPI probe, the command-line tool) as a job of several ranks under MPICH's <c>mpiexec</c>, with a hard time limit.</summary>
internal static class MpiJob
{
    /// <summary>The exit code of <c>mpiexec</c>, the job's merged output streams and how long it ran.</summary>
    public sealed record Result(int ExitCode, string Output, string Error, TimeSpan Elapsed)
    {
        public override string ToString() => $"exit code {ExitCode} after {Elapsed.TotalSeconds:F1} s\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    /// <summary>The test collection of every class that runs jobs, so that one job runs at a time.</summary>
    public const string Collection = "MPI jobs";

    /// <summary>How long a probe job may run before its whole process tree is killed and the test fails.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs <c>mpiexec -launcher fork -n <paramref name="ranks"/> dotnet MLNetBackprop.MpiProbe.dll <paramref name="args"/></c>
    /// under <see cref="Timeout"/>.
    /// </summary>
    public static Result Run(int ranks, params string[] args) =>
        Run(ranks, "tests/MLNetBackprop.MpiProbe", "MLNetBackprop.MpiProbe", args, Timeout);

    /// <summary>
    /// Runs <c>mpiexec -launcher fork -n <paramref name="ranks"/> dotnet <paramref name="assemblyName"/>.dll
    /// <paramref name="args"/></c>, a program built from the project at <paramref name="projectPath"/>, killing its whole
    /// process tree and failing the test past <paramref name="timeout"/>.
    /// <c>-launcher fork</c> starts every rank on this machine without ssh (CI containers have none; MPICH 4.0's hydra
    /// also forks for the local host by itself, so the flag only makes that explicit). Fails the test when mpiexec is
    /// missing: the MPI tests must run, and CI installs MPICH.
    /// </summary>
    public static Result Run(int ranks, string projectPath, string assemblyName, IReadOnlyList<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(FindMpiexec())
        {
            RedirectStandardInput = true,   // hydra forwards stdin to rank 0: give it an empty one, not the test host's
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])["-launcher", "fork", "-n", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "dotnet", BuiltProgram.Locate(projectPath, assemblyName), .. args])
            start.ArgumentList.Add(arg);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"mpiexec -n {ranks} {assemblyName} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds} s " +
                $"(killed)\nstdout:\n{output.Result}\nstderr:\n{error.Result}");
        }
        process.WaitForExit();   // the output streams are complete
        return new Result(process.ExitCode, output.Result, error.Result, clock.Elapsed);
    }

    private static string FindMpiexec()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(directory, "mpiexec");
            if (File.Exists(path))
                return path;
        }
        Assert.Fail("mpiexec is not on PATH: install MPICH (apt-get install mpich) to run the MPI tests; .ci/run installs it.");
        return "";
    }
}
