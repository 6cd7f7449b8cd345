using Microsoft.ML.Data;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>Small generated data sets with known structure, for tests that need control over the data.</summary>
internal static class SyntheticRows
{
    public sealed class Row
    {
        [VectorType(2)] public float[] Features { get; set; } = [];
        public bool Label { get; set; }
        public float Target { get; set; }
        public float Weight { get; set; } = 1;
    }

    public sealed class BinaryPrediction
    {
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    /// <summary>Feature 0 decides the label (and drives the regression target); feature 1 is noise.</summary>
    public static Row[] TwoFeaturesOneInformative(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var informative = (float)(random.NextDouble() * 2 - 1);
            var noise = (float)(random.NextDouble() * 2 - 1);
            return new Row
            {
                Features = [informative, noise],
                Label = informative > 0,
                Target = 3 * informative + 0.1f * (float)random.NextDouble(),
            };
        }).ToArray();
    }
}
