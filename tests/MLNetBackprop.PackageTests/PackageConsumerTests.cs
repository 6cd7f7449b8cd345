using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.PackageTests;

/// <summary>What a user of the NuGet package does first: a pipeline, an evaluation, Save and Load.</summary>
public class PackageConsumerTests
{
    [Fact]
    public void The_consumer_runs_on_the_mlnet_version_it_references()
        => Assert.Equal(Consumer.MicrosoftMLVersion, Consumer.LoadedMicrosoftMLVersion);

    [Fact]
    public void The_packaged_trainer_fits_evaluates_saves_and_loads_a_pipeline()
    {
        var ml = new MLContext(seed: 1);
        var data = Consumer.Iris(ml);

        var model = Consumer.IrisPipeline(ml).Fit(data);
        var accuracy = ml.MulticlassClassification.Evaluate(model.Transform(data)).MicroAccuracy;
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = ml.Model.Load(stream, out _);

        Assert.True(accuracy > 0.9, $"accuracy {accuracy}");
        Assert.Equal(model.Transform(data).GetColumn<float[]>("Score"), loaded.Transform(data).GetColumn<float[]>("Score"));
    }

    [Fact]
    public void The_package_ships_xml_documentation()
    {
        var documentation = Path.ChangeExtension(typeof(MlpMulticlassTrainer).Assembly.Location, ".xml");
        Assert.True(File.Exists(documentation), "MLNetBackprop.xml next to the assembly");
        Assert.Contains("P:MLNetBackprop.MlpOptionsBase.LearningRate", File.ReadAllText(documentation));
    }
}
