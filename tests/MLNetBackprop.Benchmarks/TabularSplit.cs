using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// One seed's split of a tabular data set, the same for every system: 75% training rows, featurized by the shared
/// featurization fitted on them and held in memory, so that a system's timed fit reads rows in memory (neither the
/// CSV's parsing nor the featurization's pass is part of any system's time); the test rows featurized by the same fit.
/// <c>Density</c> is the share of the training rows' features that are not zero: one-hot columns make it low, and below
/// <c>SparseRows.DensityThreshold</c> the MLP trains with its defaults for sparse rows.
/// </summary>
internal sealed record TabularSplit(TabularDataset Dataset, int Seed, IDataView Train, IDataView Test, int TrainRows,
    int FeatureCount, double Density)
{
    private const double TestFraction = 0.25;

    public static TabularSplit Prepare(TabularDataset dataset, int seed)
    {
        var ml = new MLContext(seed);
        var split = ml.Data.TrainTestSplit(dataset.Load(ml), TestFraction, seed: seed);
        var featurizer = dataset.Featurize(ml).Fit(split.TrainSet);
        var train = ml.Data.Cache(featurizer.Transform(split.TrainSet), "Features", "Label");
        var features = train.Schema["Features"];
        var width = ((VectorDataViewType)features.Type).Size;
        var (rows, nonZeros) = ReadAll(train, features);
        return new TabularSplit(dataset, seed, train, featurizer.Transform(split.TestSet), rows, width,
            (double)nonZeros / ((long)rows * width));
    }

    // One pass fills the cache.
    private static (int Rows, long NonZeros) ReadAll(IDataView data, DataViewSchema.Column features)
    {
        using var cursor = data.GetRowCursor([features]);
        var getter = cursor.GetGetter<VBuffer<float>>(features);
        var row = default(VBuffer<float>);
        var (rows, nonZeros) = (0, 0L);
        while (cursor.MoveNext())
        {
            getter(ref row);
            rows++;
            foreach (var value in row.GetValues())
                nonZeros += value != 0 ? 1 : 0;
        }
        return (rows, nonZeros);
    }
}
