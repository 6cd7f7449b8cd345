using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.MLNet;
using MLNetBackprop.Tests.TestSupport;
using Xunit.Abstractions;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>
/// Whole pipelines ending in each trainer, exported with <c>mlContext.Model.ConvertToOnnx</c> and scored by ONNX Runtime
/// (an InferenceSession, and ML.NET's ApplyOnnxModel), against ML.NET's own outputs on the shipped data sets.
/// </summary>
public class OnnxExportTests(ITestOutputHelper output) : IDisposable
{
    // Scores agree to float rounding: the graph computes each operation of the library's forward pass in its order.
    // Relative to the value, but never to less than the column's mean magnitude (and 1): a score near 0 is a difference
    // of larger terms (a logit of sums of products, a regression score of its label mean and scaled output, both
    // rounded at their own magnitude), so its rounding is absolute, not relative to the small result.
    private const double Tolerance = 1e-5;

    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-onnx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// Every activation with two hidden layers and the model's own input scaling and numeric encoding (automatic), a
    /// linear model (no hidden layer), and a network without either.
    /// </summary>
    public static TheoryData<MlpActivation?, MlpInputScaling> Networks
    {
        get
        {
            var cases = new TheoryData<MlpActivation?, MlpInputScaling>();
            foreach (var activation in Enum.GetValues<MlpActivation>())
                cases.Add(activation, MlpInputScaling.Robust);
            cases.Add(null, MlpInputScaling.Robust);
            cases.Add(MlpActivation.Relu, MlpInputScaling.None);
            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Exported_multiclass_pipeline_scores_like_MLNet(MlpActivation? activation, MlpInputScaling scaling)
    {
        var ml = new MLContext(seed: 1);
        var data = ShippedData.Digits(ml);
        var options = Configure(new MlpMulticlassTrainer.Options(), activation, scaling);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", "Pixels"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(options))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

        AssertOnnxScoresLikeMLNet(ml, pipeline.Fit(data), data, scores: ["Score"], labels: ["PredictedLabel"]);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Exported_binary_pipeline_scores_like_MLNet(MlpActivation? activation, MlpInputScaling scaling)
    {
        var ml = new MLContext(seed: 1);
        var data = ShippedData.BreastCancer(ml);
        var options = Configure(new MlpBinaryTrainer.Options(), activation, scaling);
        var pipeline = ShippedData.MalignantAsLabel(ml)
            .Append(ml.Transforms.Concatenate("Features", "Measurements"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.BinaryClassification.Trainers.Mlp(options));

        AssertOnnxScoresLikeMLNet(ml, pipeline.Fit(data), data, scores: ["Score", "Probability"], labels: ["PredictedLabel"]);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Exported_regression_pipeline_scores_like_MLNet(MlpActivation? activation, MlpInputScaling scaling)
    {
        // Raw features (ages, blood pressures, sex 1/2): the model's own input scaling does all the preprocessing.
        var ml = new MLContext(seed: 1);
        var data = ShippedData.Diabetes(ml);
        var options = Configure(new MlpRegressionTrainer.Options(), activation, scaling);
        var pipeline = ml.Transforms.Concatenate("Features", "Measurements")
            .Append(ml.Regression.Trainers.Mlp(options));

        AssertOnnxScoresLikeMLNet(ml, pipeline.Fit(data), data, scores: ["Score"], labels: []);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Exported_multi_output_regression_pipeline_scores_each_target_like_MLNet(MlpActivation? activation, MlpInputScaling scaling)
    {
        // Linnerud's targets have scales of their own (weights near 180, waists near 35, pulses near 55), so each is
        // mapped back by its own mean and standard deviation.
        var ml = new MLContext(seed: 1);
        var data = ShippedData.Linnerud(ml);
        var model = MultiOutputPipeline(ml, Configure(new MlpRegressionTrainer.Options(), activation, scaling)).Fit(data);

        AssertOnnxScoresLikeMLNet(ml, model, data, scores: ["Score"], labels: [], minimumValues: 60);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Exported_multi_label_pipeline_scores_like_MLNet(MlpActivation? activation, MlpInputScaling scaling)
    {
        var ml = new MLContext(seed: 1);
        var data = ShippedData.DigitsTags(ml);
        var model = MultiLabelPipeline(ml, Configure(new MlpBinaryTrainer.Options(), activation, scaling)).Fit(data);

        AssertOnnxScoresLikeMLNet(ml, model, data, scores: MultiLabelScores, labels: MultiLabelLabels);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    public void Exported_vector_label_models_score_like_MLNet_at_every_opset_the_converter_offers(int opSet)
    {
        var ml = new MLContext(seed: 1);
        var athletes = ShippedData.Linnerud(ml);
        var regression = MultiOutputPipeline(ml, Configure(new MlpRegressionTrainer.Options(), MlpActivation.Gelu)).Fit(athletes);
        var digits = ShippedData.DigitsTags(ml);
        var tagger = MultiLabelPipeline(ml, Configure(new MlpBinaryTrainer.Options(), MlpActivation.Gelu)).Fit(digits);

        AssertOnnxScoresLikeMLNet(ml, regression, athletes, scores: ["Score"], labels: [], opSet, minimumValues: 60);
        AssertOnnxScoresLikeMLNet(ml, tagger, digits, scores: MultiLabelScores, labels: MultiLabelLabels, opSet);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    public void Exported_model_scores_like_MLNet_at_every_opset_the_converter_offers(int opSet)
    {
        var ml = new MLContext(seed: 1);
        var data = ShippedData.Diabetes(ml);
        var pipeline = ml.Transforms.Concatenate("Features", "Measurements")
            .Append(ml.Regression.Trainers.Mlp(Configure(new MlpRegressionTrainer.Options(), MlpActivation.Gelu)));

        AssertOnnxScoresLikeMLNet(ml, pipeline.Fit(data), data, scores: ["Score"], labels: [], opSet);
    }

    [Fact]
    public void Sparse_trained_model_exports_with_a_dense_input_that_scores_like_MLNet()
    {
        var (ml, log) = TrainingLog.Context(seed: 3);
        var data = FeatureInput.Sparse.View(ml, ConformanceRow.Generate(300, 6, seed: 8), 6);
        var model = TrainerUnderTest.Multiclass.Pipeline(ml, o => o.NumberOfEpochs = 20).Fit(data);
        FeatureInput.Sparse.AssertTrainingStorage(log);

        AssertOnnxScoresLikeMLNet(ml, model, data, scores: ["Score"], labels: ["PredictedLabel"]);
    }

    [Fact]
    public void Exported_model_scores_like_MLNet_in_a_fresh_process_with_ONNX_Runtime_alone()
    {
        var ml = new MLContext(seed: 1);
        var data = ShippedData.Digits(ml);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", "Pixels"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(Configure(new MlpMulticlassTrainer.Options(), MlpActivation.Gelu)))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(data);

        // The graph's inputs are the data's columns: the pixels, and the label (which it passes through).
        var column = ScoreInFreshProcess(ml, model, data, ["Pixels", "Label"]);

        var expected = model.Transform(data);
        AssertClose("Score", "a fresh process", OnnxScoring.FloatRows(expected, "Score").SelectMany(r => r).ToArray(), Numbers(column("Score")));
        Assert.Equal(OnnxScoring.Labels(expected, "PredictedLabel"), column("PredictedLabel"));
    }

    [Fact]
    public void Exported_multi_output_regression_model_scores_like_MLNet_in_a_fresh_process_with_ONNX_Runtime_alone()
    {
        var ml = new MLContext(seed: 1);
        var data = ShippedData.Linnerud(ml);
        var model = MultiOutputPipeline(ml, Configure(new MlpRegressionTrainer.Options(), MlpActivation.Tanh)).Fit(data);

        var column = ScoreInFreshProcess(ml, model, data, [.. ShippedData.LinnerudExercises, .. ShippedData.LinnerudTargets]);

        AssertClose("Score", "a fresh process", OnnxScoring.FloatRows(model.Transform(data), "Score").SelectMany(r => r).ToArray(), Numbers(column("Score")));
    }

    // Exports the model, has the ONNX probe score it from the float columns given (the graph's inputs), and returns a
    // reader of each output column: one string per row, a vector's values comma-separated.
    private Func<string, string[]> ScoreInFreshProcess(MLContext ml, ITransformer model, IDataView data, string[] columns)
    {
        var modelPath = Path.Combine(_folder, "model.onnx");
        File.WriteAllBytes(modelPath, OnnxScoring.Export(ml, model, data));
        var inputs = columns.Select(column =>
        {
            var path = Path.Combine(_folder, column + ".tsv");
            File.WriteAllLines(path, OnnxScoring.FloatRows(data, column).Select(r => string.Join('\t', r.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
            return $"{column}={path}";
        });
        var outputPath = Path.Combine(_folder, "scores.tsv");

        var run = BuiltProgram.Run("tests/MLNetBackprop.OnnxProbe", "MLNetBackprop.OnnxProbe", new[] { modelPath, outputPath }.Concat(inputs));

        Assert.True(run.ExitCode == 0, $"the ONNX probe failed ({run.ExitCode}):\n{run.Output}\n{run.Error}");
        var probeDependencies = File.ReadAllText(Path.ChangeExtension(BuiltProgram.Locate("tests/MLNetBackprop.OnnxProbe", "MLNetBackprop.OnnxProbe"), ".deps.json"));
        Assert.DoesNotContain("MLNetBackprop\"", probeDependencies);
        Assert.DoesNotContain("Microsoft.ML/", probeDependencies);
        var lines = File.ReadAllLines(outputPath);
        var header = lines[0].Split('\t');
        var rows = lines.Skip(1).Select(l => l.Split('\t')).ToArray();
        return name => rows.Select(r => r[Array.IndexOf(header, name + ".output")]).ToArray();
    }

    private static double[] Numbers(string[] rows) => rows.SelectMany(v => v.Split(',')).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    private sealed class MeasuredRow
    {
        [VectorType(10)]
        public float[] Measurements { get; set; } = [];

        public float Label { get; set; }
    }

    [Fact]
    public void A_missing_feature_value_scores_NaN_through_ONNX_as_through_MLNet()
    {
        var ml = new MLContext(seed: 1);
        var data = ShippedData.Diabetes(ml);
        var model = ml.Transforms.Concatenate("Features", "Measurements")
            .Append(ml.Regression.Trainers.Mlp(Configure(new MlpRegressionTrainer.Options(), MlpActivation.Relu)))
            .Fit(data);
        var first = data.GetColumn<VBuffer<float>>("Measurements").First().DenseValues().ToArray();
        var missing = (float[])first.Clone();
        missing[2] = float.NaN;
        var rows = ml.Data.LoadFromEnumerable(new[] { new MeasuredRow { Measurements = first }, new MeasuredRow { Measurements = missing } });

        var expected = model.Transform(rows).GetColumn<float>("Score").ToArray();
        var onnx = OnnxScoring.Run(OnnxScoring.Export(ml, model, data), rows)["Score.output"].Select(v => (double)v).ToArray();

        Assert.True(float.IsFinite(expected[0]) && float.IsNaN(expected[1]), $"ML.NET scored {expected[0]}, {expected[1]}");
        Assert.Equal(expected[0], onnx[0], 1e-3);
        Assert.True(double.IsNaN(onnx[1]), $"ONNX Runtime scored the row with a missing value {onnx[1]}");
    }

    [Fact]
    public void Values_beyond_the_training_range_score_through_the_exported_encoding_as_through_MLNet()
    {
        // The outer bins of the piecewise-linear encoding extend without bound: rows far outside every feature's
        // training range reach them, and the clamped inner bins, in both directions.
        var ml = new MLContext(seed: 1);
        var data = ShippedData.Diabetes(ml);
        var model = ml.Transforms.Concatenate("Features", "Measurements")
            .Append(ml.Regression.Trainers.Mlp(Configure(new MlpRegressionTrainer.Options(), MlpActivation.Tanh)))
            .Fit(data);
        Assert.True(((IEnumerable<ITransformer>)model).OfType<RegressionPredictionTransformer<MlpRegressionModelParameters>>()
            .Single().Model.LayerSizes[0] > 10, "the model does not encode its features");
        var measured = data.GetColumn<VBuffer<float>>("Measurements").Take(60).Select(v => v.DenseValues().ToArray()).ToList();
        var rows = ml.Data.LoadFromEnumerable(measured.SelectMany(m => new[] { 4f, -3f, 0.5f }
            .Select(factor => new MeasuredRow { Measurements = m.Select(v => v * factor).ToArray() })));

        AssertOnnxScoresLikeMLNet(ml, model, rows, scores: ["Score"], labels: []);
    }

    [Fact]
    public void Multi_label_pipeline_concatenating_Boolean_tag_columns_exports_the_outputs_it_is_asked_for()
    {
        // ML.NET's Concatenate leaves a vector of bool out of the graph (its export handles numbers only), so the whole
        // output schema cannot be exported; the model's outputs, which need the features alone, can.
        var ml = new MLContext(seed: 1);
        var data = ShippedData.DigitsTags(ml, tagColumns: true);
        var model = ml.Transforms.Concatenate("Label", ShippedData.DigitTags)
            .Append(MultiLabelPipeline(ml, Configure(new MlpBinaryTrainer.Options(), MlpActivation.Tanh)))
            .Fit(data);
        string[] outputs = ["Score", "Probability", VectorScoreRowMapper.PredictedLabelsColumn, "PredictedLabel"];
        using var stream = new MemoryStream();

        Assert.ThrowsAny<InvalidOperationException>(() => ml.Model.ConvertToOnnx(model, data, new MemoryStream()));
        ml.Model.ConvertToOnnx(model, data, stream, outputs);

        var onnx = OnnxScoring.Run(stream.ToArray(), data);
        var expected = model.Transform(data);
        Assert.Equal(outputs.Select(o => o + ".output").Order(), onnx.Keys.Where(k => !k.StartsWith("mlnet.", StringComparison.Ordinal)).Order());
        AssertClose("Probability", "InferenceSession", OnnxScoring.FloatRows(expected, "Probability").SelectMany(r => r).ToArray(),
            onnx["Probability.output"].Select(v => (double)v).ToArray());
        Assert.Equal(OnnxScoring.Labels(expected, VectorScoreRowMapper.PredictedLabelsColumn), onnx["PredictedLabels.output"].Select(AsLabel).ToArray());
    }

    private sealed class TaggedDigit
    {
        [VectorType(64)]
        public float[] Pixels { get; set; } = [];

        [VectorType(4)]
        public bool[] Label { get; set; } = [];
    }

    [Fact]
    public void A_missing_feature_value_gives_NaN_scores_and_no_labels_through_ONNX_as_through_MLNet()
    {
        var ml = new MLContext(seed: 1);
        var data = ShippedData.DigitsTags(ml);
        var model = MultiLabelPipeline(ml, Configure(new MlpBinaryTrainer.Options(), MlpActivation.Relu)).Fit(data);
        var first = ml.Data.CreateEnumerable<TaggedDigit>(data, reuseRowObject: false).First();
        var missing = new TaggedDigit { Pixels = (float[])first.Pixels.Clone(), Label = first.Label };
        missing.Pixels[20] = float.NaN;
        var rows = ml.Data.LoadFromEnumerable(new[] { first, missing });

        var expected = model.Transform(rows);
        var onnx = OnnxScoring.Run(OnnxScoring.Export(ml, model, data), rows);

        var scores = OnnxScoring.FloatRows(expected, "Score");
        Assert.True(scores[0].All(float.IsFinite) && scores[1].All(float.IsNaN), $"ML.NET scored {string.Join(", ", scores.SelectMany(r => r))}");
        foreach (var column in MultiLabelScores)
        {
            var reference = OnnxScoring.FloatRows(expected, column).SelectMany(r => r).ToArray();
            var actual = onnx[column + ".output"].Select(v => (double)v).ToArray();
            Assert.Equal(reference.Length, actual.Length);
            for (var i = 0; i < reference.Length; i++)
                Assert.True(float.IsFinite(reference[i]) ? Math.Abs(actual[i] - reference[i]) <= 1e-4 * Math.Max(1, Math.Abs(reference[i])) : actual[i].Equals(reference[i]),
                    $"{column} {i}: ONNX {actual[i]:R}, ML.NET {reference[i]:R}");
        }
        foreach (var label in MultiLabelLabels)
            Assert.Equal(OnnxScoring.Labels(expected, label), onnx[label + ".output"].Select(AsLabel).ToArray());
        Assert.Equal(["False", "False", "False", "False"], OnnxScoring.Labels(expected, "PredictedLabels")[4..]);
        Assert.Equal(float.NegativeInfinity, OnnxScoring.FloatRows(expected, VectorScoreRowMapper.MaxScoreColumn)[1][0]);
    }

    [Fact]
    public void A_network_too_large_for_an_ONNX_file_fails_naming_its_size_and_the_fix()
    {
        // 60,000 inputs × 10,000 hidden units: 600 million weights, 2.2 GiB, more than one protocol buffer holds.
        var layout = new NetworkLayout(60_000, [10_000], 1, ActivationKind.Relu);

        var error = Assert.Throws<InvalidOperationException>(() => OnnxNetworkWriter.CheckExportable(layout));

        Assert.Contains("600,020,001 parameters", error.Message);
        Assert.Contains("2 GiB", error.Message);
        Assert.Contains("HiddenLayerSizes (now [10000])", error.Message);
    }

    // A multi-label model's outputs: the vectors Score, Probability and PredictedLabels with the scalars MaxScore (the
    // largest logit) and PredictedLabel (whether any label is predicted), which ML.NET's binary scorer derives from it.
    private static readonly string[] MultiLabelScores = ["Score", "Probability", VectorScoreRowMapper.MaxScoreColumn];
    private static readonly string[] MultiLabelLabels = [VectorScoreRowMapper.PredictedLabelsColumn, "PredictedLabel"];

    // Raw exercise counts: the model's own input scaling does the preprocessing, and each target is standardized on its own.
    private static EstimatorChain<RegressionPredictionTransformer<MlpRegressionModelParameters>> MultiOutputPipeline(MLContext ml, MlpRegressionTrainer.Options options)
        => ml.Transforms.Concatenate("Label", ShippedData.LinnerudTargets)
            .Append(ml.Transforms.Concatenate("Features", ShippedData.LinnerudExercises))
            .Append(ml.Regression.Trainers.Mlp(options));

    // The label is loaded as one vector: ML.NET's Concatenate exports numeric columns only (see the test of tag columns).
    private static EstimatorChain<BinaryPredictionTransformer<MlpBinaryModelParameters>> MultiLabelPipeline(MLContext ml, MlpBinaryTrainer.Options options)
        => ml.Transforms.Concatenate("Features", "Pixels")
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.BinaryClassification.Trainers.Mlp(options));

    // A null activation means a linear model: no hidden layer.
    private static TOptions Configure<TOptions>(TOptions options, MlpActivation? activation,
        MlpInputScaling scaling = MlpInputScaling.Robust) where TOptions : MlpOptionsBase
    {
        options.NumberOfEpochs = 30;
        options.HiddenLayerSizes = activation is null ? [] : [24, 12];
        options.Activation = activation ?? options.Activation;
        options.InputScaling = scaling;
        // Without scaling the raw features stay unencoded too, as the network without any preprocessing of its own.
        options.NumericEncoding = scaling == MlpInputScaling.None ? MlpNumericEncoding.None : null;
        return options;
    }

    private void AssertOnnxScoresLikeMLNet(MLContext ml, ITransformer model, IDataView data, string[] scores, string[] labels,
        int? opSet = null, int minimumValues = 150)
    {
        var onnx = OnnxScoring.Export(ml, model, data, opSet);
        var expected = model.Transform(data);

        var session = OnnxScoring.Run(onnx, data);
        var modelPath = Path.Combine(_folder, "model.onnx");
        File.WriteAllBytes(modelPath, onnx);
        var applied = ml.Transforms.ApplyOnnxModel(modelPath).Fit(data).Transform(data);

        foreach (var score in scores)
        {
            var reference = OnnxScoring.FloatRows(expected, score).SelectMany(r => r).ToArray();
            Assert.True(reference.Length >= minimumValues, $"too few {score} values to compare");
            AssertClose(score, "InferenceSession", reference, session[score + ".output"].Select(v => (double)v).ToArray());
            AssertClose(score, "ApplyOnnxModel", reference, OnnxScoring.FloatRows(applied, score).SelectMany(r => r).Select(v => (double)v).ToArray());
        }
        foreach (var label in labels)
        {
            var reference = OnnxScoring.Labels(expected, label);
            Assert.Equal(reference, session[label + ".output"].Select(AsLabel).ToArray());
            Assert.Equal(reference, OnnxScoring.Labels(applied, label));
        }
    }

    private void AssertClose(string column, string route, float[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0.0;
        var scale = Math.Max(1, expected.Average(v => Math.Abs((double)v)));
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(actual[i] - expected[i]) / Math.Max(Math.Abs((double)expected[i]), scale);
            Assert.True(error <= Tolerance, $"{column} {i} through {route}: ONNX {actual[i]:R}, ML.NET {expected[i]:R}");
            worst = Math.Max(worst, error);
        }
        output.WriteLine($"{column} through {route}: largest relative difference {worst:E2} over {expected.Length} values");
    }

    private static string AsLabel(object value)
        => value is double number ? ((float)number).ToString("R", CultureInfo.InvariantCulture) : (string)value;
}
