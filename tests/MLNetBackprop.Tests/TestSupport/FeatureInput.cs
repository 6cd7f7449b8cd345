using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>
/// How the features of <see cref="ConformanceRow"/>s reach a trainer, so that the conformance checks run on dense
/// and on sparse inputs alike. <see cref="Dense"/>: a dense vector of the rows' own width. <see cref="Sparse"/>:
/// each row's features spread over a vector eight times wider (feature j in slot 8j, every other slot zero) and held
/// as a sparse VBuffer over the row's own array; its density of 1/8 is below
/// <see cref="SparseRows.DensityThreshold"/>, so training keeps the rows sparse, as <see cref="AssertTrainingStorage"/>
/// checks in the training log.
/// </summary>
public sealed class FeatureInput
{
    private FeatureInput(string name, int spread, bool sparseVectors)
    {
        Name = name;
        Spread = spread;
        SparseVectors = sparseVectors;
    }

    public string Name { get; }

    /// <summary>The vector is this many times wider than the rows' features; feature j is in slot Spread·j.</summary>
    public int Spread { get; }

    /// <summary>Whether the VBuffers are sparse (only the features' slots stored) or dense (every slot stored).</summary>
    public bool SparseVectors { get; }

    /// <summary>The density of every row (when no feature is zero): one slot in <see cref="Spread"/> holds a value.</summary>
    public double Density => 1.0 / Spread;

    /// <summary>Whether training on this input holds its rows sparse: the density decides, not the kind of VBuffer.</summary>
    public bool TrainsSparse => SparseRows.TrainsSparse(Density);

    public static FeatureInput Dense { get; } = new("dense", 1, sparseVectors: false);

    public static FeatureInput Sparse { get; } = new("sparse", 8, sparseVectors: true);

    /// <summary>Features spread over <paramref name="spread"/> times their width, as sparse or dense VBuffers.</summary>
    public static FeatureInput Spreading(int spread, bool sparseVectors)
        => new($"spread {spread}, {(sparseVectors ? "sparse" : "dense")} vectors", spread, sparseVectors);

    /// <summary>The same slots and values as this input, as dense VBuffers.</summary>
    public FeatureInput AsDenseVectors() => Spreading(Spread, sparseVectors: false);

    public static TheoryData<string> Names => new() { Dense.Name, Sparse.Name };

    /// <summary>Every trainer with every input: the conformance checks' cases.</summary>
    public static TheoryData<string, string> TrainersAndInputs
    {
        get
        {
            var cases = new TheoryData<string, string>();
            foreach (var trainer in TrainerUnderTest.Names)
                foreach (var input in Names)
                    cases.Add(trainer, input);
            return cases;
        }
    }

    public static FeatureInput Named(string name) => name == Sparse.Name ? Sparse : Dense;

    /// <summary>The width of the feature vector that carries <paramref name="featureCount"/> features.</summary>
    public int Width(int featureCount) => featureCount * Spread;

    /// <summary>The rows with this input's feature vectors (a sparse vector stores the row's own feature array).</summary>
    public VectorRow[] Vectors(IEnumerable<ConformanceRow> rows, int featureCount)
    {
        var width = Width(featureCount);
        var slots = Enumerable.Range(0, featureCount).Select(j => j * Spread).ToArray();
        return rows.Select(row =>
        {
            VBuffer<float> features;
            if (SparseVectors)
                features = new VBuffer<float>(width, featureCount, row.Features, slots);
            else
            {
                var dense = new float[width];
                for (var j = 0; j < featureCount; j++)
                    dense[slots[j]] = row.Features[j];
                features = new VBuffer<float>(width, dense);
            }
            return new VectorRow { Features = features, Flag = row.Flag, Class = row.Class, Target = row.Target, Weight = row.Weight };
        }).ToArray();
    }

    /// <summary>An IDataView over <paramref name="rows"/> whose Features column is a vector of known size.</summary>
    public IDataView View(MLContext ml, IEnumerable<ConformanceRow> rows, int featureCount)
        => Spread == 1 && !SparseVectors
            ? ConformanceRow.View(ml, rows, featureCount)
            : VectorRow.View(ml, Vectors(rows, featureCount), Width(featureCount));

    /// <summary>An IDataView over <paramref name="rows"/> whose Features column is a vector of unknown size.</summary>
    public IDataView ViewOfUnknownSize(MLContext ml, IEnumerable<ConformanceRow> rows, int featureCount)
        => Spread == 1 && !SparseVectors
            ? ml.Data.LoadFromEnumerable(rows)
            : ml.Data.LoadFromEnumerable(Vectors(rows, featureCount));

    /// <summary>Asserts that the training run whose messages are <paramref name="log"/> held its rows as this input promises.</summary>
    public void AssertTrainingStorage(IEnumerable<string> log)
    {
        var lines = log.Where(m => m.Contains("Training an MLP", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.True(line.Contains(" sparse rows (", StringComparison.Ordinal) == TrainsSparse,
            $"{Name} input should train on {(TrainsSparse ? "sparse" : "dense")} rows, but the log says: {line}"));
    }

    public override string ToString() => Name;

    /// <summary>A <see cref="ConformanceRow"/> whose features are a VBuffer, as ML.NET's sparse columns deliver them.</summary>
    public sealed class VectorRow
    {
        public VBuffer<float> Features { get; set; }
        public bool Flag { get; set; }
        public float Class { get; set; }
        public float Target { get; set; }
        public float Weight { get; set; } = 1;

        /// <summary>An IDataView over <paramref name="rows"/> whose Features column is a vector of <paramref name="width"/>.</summary>
        public static IDataView View(MLContext ml, IEnumerable<VectorRow> rows, int width)
        {
            var schema = SchemaDefinition.Create(typeof(VectorRow));
            schema[nameof(Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
            return ml.Data.LoadFromEnumerable(rows, schema);
        }
    }
}
