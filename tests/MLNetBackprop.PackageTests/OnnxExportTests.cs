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
}
