using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.PackageTests;

/// <summary>What a user of the NuGet package does first: a pipeline, an evaluation, Save and Load.</summary>
public class PackageConsumerTests
{
    private static IDataView Iris(MLContext ml)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "data", "iris.csv")))
            root = Path.GetDirectoryName(root) ?? throw new DirectoryNotFoundException("data/iris.csv not found");
        return ml.Data.LoadFromTextFile(Path.Combine(root, "data", "iris.csv"),
            [new TextLoader.Column("Measurements", DataKind.Single, 0, 3), new TextLoader.Column("Label", DataKind.String, 4)],
            separatorChar: ',', hasHeader: true);
    }

    [Fact]
    public void The_packaged_trainer_fits_evaluates_saves_and_loads_a_pipeline()
    {
        var ml = new MLContext(seed: 1);
        var data = Iris(ml);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", "Measurements"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(hiddenLayerSizes: [16], learningRate: 0.01f, batchSize: 16))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

        var model = pipeline.Fit(data);
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
