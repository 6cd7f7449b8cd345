using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.PackageTests;

/// <summary>ONNX export of a pipeline ending in the packaged trainer, with the converter made for the consumer's ML.NET.</summary>
public class OnnxExportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-onnx-package-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Exported_pipeline_scores_like_MLNet_through_ApplyOnnxModel()
    {
        var ml = new MLContext(seed: 1);
        var data = Consumer.Iris(ml);
        var model = Consumer.IrisPipeline(ml).Fit(data);
        var path = Path.Combine(_folder, "iris.onnx");
        using (var stream = File.Create(path))
            ml.Model.ConvertToOnnx(model, data, stream);

        var onnx = ml.Transforms.ApplyOnnxModel(path).Fit(data).Transform(data);
        var expected = model.Transform(data);

        var expectedScores = expected.GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()).ToArray();
        var onnxScores = onnx.GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()).ToArray();
        Assert.Equal(150 * 3, expectedScores.Length);
        Assert.Equal(expectedScores.Length, onnxScores.Length);
        for (var i = 0; i < expectedScores.Length; i++)
            Assert.True(Math.Abs(onnxScores[i] - expectedScores[i]) <= 1e-5 * Math.Max(1, Math.Abs(expectedScores[i])),
                $"score {i}: ONNX {onnxScores[i]}, ML.NET {expectedScores[i]}");
        Assert.Equal(expected.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(v => v.ToString()),
            onnx.GetColumn<VBuffer<ReadOnlyMemory<char>>>("PredictedLabel").Select(v => v.GetItemOrDefault(0).ToString()));
    }

    private sealed class TaggedFlower
    {
        [VectorType(2)]
        public float[] Sepal { get; set; } = [];

        // Long petal (over 4 cm), wide petal (over 1.3 cm).
        [VectorType(2)]
        public bool[] Label { get; set; } = [];
    }

    [Fact]
    public void Exported_vector_label_pipelines_score_like_MLNet_through_ApplyOnnxModel()
    {
        var ml = new MLContext(seed: 1);
        var flowers = ml.Data.LoadFromTextFile(Consumer.IrisPath,
            [new TextLoader.Column("Sepal", DataKind.Single, 0, 1), new TextLoader.Column("Petal", DataKind.Single, 2, 3)],
            separatorChar: ',', hasHeader: true);
        var regression = ml.Transforms.Concatenate("Label", "Petal")
            .Append(ml.Transforms.Concatenate("Features", "Sepal"))
            .Append(ml.Regression.Trainers.Mlp(hiddenLayerSizes: [8], batchSize: 16))
            .Fit(flowers);
        var tagged = ml.Data.LoadFromEnumerable(flowers.GetColumn<VBuffer<float>>("Sepal").Zip(flowers.GetColumn<VBuffer<float>>("Petal"),
            (sepal, petal) => new TaggedFlower { Sepal = sepal.DenseValues().ToArray(), Label = [petal.GetItemOrDefault(0) > 4, petal.GetItemOrDefault(1) > 1.3f] }).ToArray());
        var tagger = ml.Transforms.Concatenate("Features", "Sepal")
            .Append(ml.BinaryClassification.Trainers.Mlp(hiddenLayerSizes: [8], batchSize: 16))
            .Fit(tagged);

        var (expected, onnx) = ScoreBothWays(ml, regression, flowers, "regression.onnx");
        AssertClose(expected, onnx, "Score");
        (expected, onnx) = ScoreBothWays(ml, tagger, tagged, "tagger.onnx");
        AssertClose(expected, onnx, "Score");
        AssertClose(expected, onnx, "Probability");
        Assert.Equal(expected.GetColumn<VBuffer<bool>>("PredictedLabels").SelectMany(v => v.DenseValues()),
            onnx.GetColumn<VBuffer<bool>>("PredictedLabels").SelectMany(v => v.DenseValues()));
    }

    private (IDataView Expected, IDataView Onnx) ScoreBothWays(MLContext ml, ITransformer model, IDataView data, string file)
    {
        var path = Path.Combine(_folder, file);
        using (var stream = File.Create(path))
            ml.Model.ConvertToOnnx(model, data, stream);
        return (model.Transform(data), ml.Transforms.ApplyOnnxModel(path).Fit(data).Transform(data));
    }

    private static void AssertClose(IDataView expected, IDataView onnx, string column)
    {
        var reference = expected.GetColumn<VBuffer<float>>(column).SelectMany(v => v.DenseValues()).ToArray();
        var actual = onnx.GetColumn<VBuffer<float>>(column).SelectMany(v => v.DenseValues()).ToArray();
        Assert.Equal(150 * 2, reference.Length);
        Assert.Equal(reference.Length, actual.Length);
        for (var i = 0; i < reference.Length; i++)
            Assert.True(Math.Abs(actual[i] - reference[i]) <= 1e-5 * Math.Max(1, Math.Abs(reference[i])),
                $"{column} {i}: ONNX {actual[i]}, ML.NET {reference[i]}");
    }
}
