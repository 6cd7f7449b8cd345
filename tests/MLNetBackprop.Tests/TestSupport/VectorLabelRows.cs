using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>
/// Generated rows with three regression targets and three tags that known functions of four features decide, and
/// the pipelines that concatenate them into vector labels (whose slot names are the source columns' names).
/// </summary>
internal static class VectorLabelRows
{
    public sealed class Row
    {
        [VectorType(4)] public float[] Features { get; set; } = [];
        public float Linear { get; set; }
        public float Wave { get; set; }
        public float Large { get; set; }
        public bool Positive { get; set; }
        public bool Sum { get; set; }
        public bool Product { get; set; }
    }

    public sealed class RegressionPrediction
    {
        [VectorType(3)] public float[] Score { get; set; } = [];
    }

    public sealed class MultiLabelPrediction
    {
        [VectorType(3)] public float[] Score { get; set; } = [];
        [VectorType(3)] public float[] Probability { get; set; } = [];
        [VectorType(3)] public bool[] PredictedLabels { get; set; } = [];
        public bool PredictedLabel { get; set; }
    }

    public static readonly string[] Targets = [nameof(Row.Linear), nameof(Row.Wave), nameof(Row.Large)];
    public static readonly string[] Tags = [nameof(Row.Positive), nameof(Row.Sum), nameof(Row.Product)];

    public static Row[] Generate(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var x = Enumerable.Range(0, 4).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            return new Row
            {
                Features = x,
                Linear = x[0] + 2 * x[1],
                Wave = MathF.Sin(2 * x[2]),
                Large = 1000 + 200 * x[0] * x[3], // another scale: each target is standardized on its own
                Positive = x[0] > 0,
                Sum = x[1] + x[2] > 0.3f,
                Product = x[0] * x[3] > 0,
            };
        }).ToArray();
    }

    public static IDataView View(MLContext ml, int count = 400, int seed = 5) => ml.Data.LoadFromEnumerable(Generate(count, seed));

    /// <summary>Label = [Linear, Wave, Large], a vector of float with those slot names.</summary>
    public static IEstimator<ITransformer> RegressionLabel(MLContext ml) => ml.Transforms.Concatenate("Label", Targets);

    /// <summary>Label = [Positive, Sum, Product], a vector of bool with those slot names.</summary>
    public static IEstimator<ITransformer> TagLabel(MLContext ml) => ml.Transforms.Concatenate("Label", Tags);
}
