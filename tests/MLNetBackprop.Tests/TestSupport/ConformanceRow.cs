using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>A training row carrying a label for each task: Flag (binary), Class (multiclass), Target (regression).</summary>
public sealed class ConformanceRow
{
    public float[] Features { get; set; } = [];
    public bool Flag { get; set; }
    public float Class { get; set; }
    public float Target { get; set; }
    public float Weight { get; set; } = 1;

    public ConformanceRow Clone() => new()
    {
        Features = (float[])Features.Clone(), Flag = Flag, Class = Class, Target = Target, Weight = Weight,
    };

    /// <summary>Rows whose labels all depend on the first feature, with three classes.</summary>
    public static ConformanceRow[] Generate(int count, int featureCount, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var features = Enumerable.Range(0, featureCount).Select(_ => (float)random.NextDouble()).ToArray();
            return new ConformanceRow
            {
                Features = features,
                Flag = features[0] > 0.5f,
                Class = features[0] < 0.33f ? 0 : features[0] < 0.66f ? 1 : 2,
                Target = 2 * features[0] + 0.1f * (float)random.NextDouble(),
            };
        }).ToArray();
    }

    /// <summary>An IDataView over <paramref name="rows"/> whose Features column is a vector of known size.</summary>
    public static IDataView View(MLContext ml, IEnumerable<ConformanceRow> rows, int featureCount)
    {
        var schema = SchemaDefinition.Create(typeof(ConformanceRow));
        schema[nameof(Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }
}
