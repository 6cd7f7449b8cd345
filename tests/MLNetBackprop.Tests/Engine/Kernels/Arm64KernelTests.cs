using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Kernels;

/// <summary>
/// The 128-bit AdvSimd path, which only ARM64 CPUs run: the kernel probe (tests/MLNetBackprop.KernelProbe) is published
/// self-contained for linux-arm64 from a copy of the sources and run under qemu-user, where it checks every product
/// form bit for bit against the naive FMA loop on each vector path the emulated CPU has, on 1 and 2 threads.
/// </summary>
public sealed class Arm64KernelTests : IDisposable
{
    private const string Emulator = "/usr/bin/qemu-aarch64-static";
    private const string Arm64Libraries = "/usr/aarch64-linux-gnu";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    private readonly RepositoryCopy _copy = new("mlp-arm64-probe-",
        ["src/MLNetBackprop", "src/MLNetBackprop.Publicizer", "tests/MLNetBackprop.KernelProbe"],
        ["Directory.Build.props", "global.json", ".editorconfig", "README.md", "LICENSE"]);

    public void Dispose() => _copy.Dispose();

    [Fact]
    public async Task Every_product_form_is_exact_on_the_arm64_vector_path_under_emulation()
    {
        Assert.True(File.Exists(Emulator) && File.Exists(Path.Combine(Arm64Libraries, "lib", "libstdc++.so.6")),
            $"{Emulator} or the ARM64 C and C++ runtime libraries under {Arm64Libraries} are missing: install qemu-user-static, " +
            "libc6-arm64-cross, libstdc++6-arm64-cross and libgcc-s1-arm64-cross with apt-get (.ci/run does).");
        var published = Path.Combine(_copy.Root, "published");
        var publish = await ChildProcess.RunAsync("dotnet",
            ["publish", "tests/MLNetBackprop.KernelProbe", "-r", "linux-arm64", "--self-contained", "-c", "Release", "-o", published,
                "--disable-build-servers"],
            _copy.Root, Timeout);
        Assert.True(publish.ExitCode == 0, publish.Output + publish.Error);

        var run = await ChildProcess.RunAsync(Emulator, ["-L", Arm64Libraries, Path.Combine(published, "MLNetBackprop.KernelProbe")],
            published, Timeout);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("KERNELPROBE arch=Arm64 best=Vector128 levels=Scalar,Vector128 ", run.Output);
        Assert.Contains(" failed=0", run.Output);
    }
}
