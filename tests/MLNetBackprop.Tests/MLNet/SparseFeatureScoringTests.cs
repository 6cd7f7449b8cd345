using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>
/// Scoring a sparse feature column (what text and one-hot pipelines produce) through ML.NET: Transform and a
/// PredictionEngine read the non-zeros directly and give the scores the same rows give as dense vectors.
/// </summary>
public class SparseFeatureScoringTests
{
    private const int Width = 300; // wide enough that the first layer is computed in two halves

    private sealed class Row
    {
        [VectorType(Width)]
        public VBuffer<float> Features { get; set; }

        public bool Label { get; set; }
    }

    private sealed class Prediction
    {
        public float Score { get; set; }
    }

    // Each row has a handful of non-zeros; the label depends on two of the features.
    private static List<Row> Rows(bool sparse)
    {
        var random = new Random(3);
        var rows = new List<Row>();
        for (var r = 0; r < 200; r++)
        {
            var indices = Enumerable.Range(0, Width).Where(_ => random.NextDouble() < 0.03).ToArray();
            var values = indices.Select(_ => (float)random.NextDouble()).ToArray();
            var dense = new float[Width];
            for (var k = 0; k < indices.Length; k++)
                dense[indices[k]] = values[k];
            rows.Add(new Row
            {
                Features = sparse ? new VBuffer<float>(Width, indices.Length, values, indices) : new VBuffer<float>(Width, dense),
                Label = dense[7] + dense[250] > 0.3f || r % 2 == 0,
            });
        }
        return rows;
    }

    [Fact]
    public void Transform_scores_sparse_rows_as_their_dense_copies()
    {
        var ml = new MLContext(seed: 1);
        var sparse = ml.Data.LoadFromEnumerable(Rows(sparse: true));
        var dense = ml.Data.LoadFromEnumerable(Rows(sparse: false));
        var model = ml.BinaryClassification.Trainers.Mlp(hiddenLayerSizes: [8], numberOfEpochs: 5).Fit(dense);

        var sparseScores = model.Transform(sparse).GetColumn<float>("Score").ToArray();
        var denseScores = model.Transform(dense).GetColumn<float>("Score").ToArray();

        Assert.True(sparse.Preview(1).RowView[0].Values.Single(c => c.Key == "Features").Value is VBuffer<float> { IsDense: false },
            "the test data must really be sparse");
        Assert.Equal(denseScores, sparseScores);
    }

    [Fact]
    public void A_prediction_engine_scores_a_sparse_row_as_its_dense_copy()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.BinaryClassification.Trainers.Mlp(hiddenLayerSizes: [8], numberOfEpochs: 5)
            .Fit(ml.Data.LoadFromEnumerable(Rows(sparse: true)));
        var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model);

        var sparseRow = Rows(sparse: true)[1];
        var denseRow = Rows(sparse: false)[1];

        Assert.Equal(engine.Predict(denseRow).Score, engine.Predict(sparseRow).Score);
    }
}
