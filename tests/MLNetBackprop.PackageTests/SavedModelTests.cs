using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.PackageTests;

/// <summary>
/// Model files across processes and ML.NET versions: a model saved here loads in a fresh process that references
/// only the package and ML.NET, and models saved under every supported ML.NET version load and score as recorded.
/// </summary>
public class SavedModelTests
{
    private static readonly string FixtureFolder = Path.Combine(Consumer.RepositoryRoot, "tests", "MLNetBackprop.PackageTests", "Fixtures");

    [Fact]
    public void A_saved_model_scores_the_same_in_a_fresh_process_that_never_names_the_library()
    {
        var folder = Directory.CreateTempSubdirectory("mlnetbackprop-consumer-");
        try
        {
            var ml = new MLContext(seed: 1);
            var data = Consumer.Iris(ml);
            var model = Consumer.IrisPipeline(ml).Fit(data);
            var modelPath = Path.Combine(folder.FullName, "model.zip");
            ml.Model.Save(model, data.Schema, modelPath);

            var printed = RunFreshConsumer(folder.FullName, modelPath);

            Assert.Equal(Lines(model.Transform(data).GetColumn<float[]>("Score")), printed);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("5.0.1")]
    [InlineData("6.0.0")]
    public void A_model_saved_under_a_supported_mlnet_version_loads_and_scores_as_recorded(string savedUnder)
    {
        if (Environment.GetEnvironmentVariable("MLNETBACKPROP_WRITE_FIXTURES") == "1" && savedUnder == Consumer.MicrosoftMLVersion)
            WriteFixture(savedUnder);
        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(Path.Combine(FixtureFolder, $"iris-mlnet-{savedUnder}.zip"), out _);

        var scores = Lines(model.Transform(Consumer.Iris(ml)).GetColumn<float[]>("Score"));

        Assert.Equal(File.ReadAllLines(Path.Combine(FixtureFolder, $"iris-mlnet-{savedUnder}.scores.txt")), scores);
    }

    // Trains and saves this ML.NET version's fixture, with the scores it gives.
    private static void WriteFixture(string version)
    {
        var ml = new MLContext(seed: 1);
        var data = Consumer.Iris(ml);
        var model = Consumer.IrisPipeline(ml).Fit(data);
        ml.Model.Save(model, data.Schema, Path.Combine(FixtureFolder, $"iris-mlnet-{version}.zip"));
        File.WriteAllLines(Path.Combine(FixtureFolder, $"iris-mlnet-{version}.scores.txt"), Lines(model.Transform(data).GetColumn<float[]>("Score")));
    }

    private static string[] Lines(IEnumerable<float[]> scores)
        => [.. scores.Select(row => string.Join(' ', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))))];

    // A new console project that references the package and the consumer's ML.NET, loads the model and prints its scores.
    private static string[] RunFreshConsumer(string folder, string modelPath)
    {
        File.WriteAllText(Path.Combine(folder, "FreshConsumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <RestoreAdditionalProjectSources>{Path.Combine(Consumer.RepositoryRoot, "artifacts", "feed")}</RestoreAdditionalProjectSources>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="MLNetBackprop" Version="{Consumer.PackageVersion}" />
                <PackageReference Include="Microsoft.ML" Version="[{Consumer.MicrosoftMLVersion}]" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), """
            using System.Globalization;
            using Microsoft.ML;
            using Microsoft.ML.Data;

            var ml = new MLContext(seed: 0);
            var model = ml.Model.Load(args[0], out _);
            var data = ml.Data.LoadFromTextFile(args[1],
                [new TextLoader.Column("Measurements", DataKind.Single, 0, 3), new TextLoader.Column("Label", DataKind.String, 4)],
                separatorChar: ',', hasHeader: true);
            foreach (var row in model.Transform(data).GetColumn<float[]>("Score"))
                Console.WriteLine(string.Join(' ', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
            """);
        var start = new ProcessStartInfo("dotnet", ["run", "--project", folder, "--", modelPath, Consumer.IrisPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "the fresh consumer did not finish within 5 minutes");
        Assert.True(process.ExitCode == 0, $"the fresh consumer failed ({process.ExitCode}): {output.Result}{errors.Result}");
        return output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Length > 0 && (char.IsDigit(line[0]) || line[0] == '-'))
            .ToArray();
    }
}
