using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Tests.TestSupport;
using Xunit.Abstractions;

namespace MLNetBackprop.Tests.Conformance;

/// <summary>One fitted model serves many threads at once, and training runs do not interfere with each other.</summary>
public class ConcurrencyTests(ITestOutputHelper output)
{
    private const int Threads = 8;
    private const int RowsPerThread = 100_000;
    private const int FeatureCount = 6;

    public sealed class Input
    {
        [VectorType(FeatureCount)] public float[] Features { get; set; } = [];
    }

    public sealed class Output
    {
        public float[] Score { get; set; } = [];
    }

    [Fact]
    public void Eight_threads_scoring_100k_rows_each_match_single_threaded_scores()
    {
        var ml = new MLContext(seed: 1);
        var training = ConformanceRow.View(ml, ConformanceRow.Generate(300, FeatureCount, 1), FeatureCount);
        // Score with the trainer's transformer alone: the label-preparing step needs a label column.
        var model = ((TransformerChain<ITransformer>)TrainerUnderTest.Multiclass.Pipeline(ml, o => o.HiddenLayerSizes = [16, 8])
            .Fit(training)).LastTransformer;
        var rows = ConformanceRow.Generate(RowsPerThread, FeatureCount, 2).Select(r => new Input { Features = r.Features }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var expected = model.Transform(data).GetColumn<float[]>("Score").ToArray();

        var mismatches = new int[Threads];
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            if (thread % 2 == 0)
            {
                // Half the threads stream the whole data view through Transform ...
                var i = 0;
                foreach (var score in model.Transform(data).GetColumn<float[]>("Score"))
                    mismatches[thread] += score.AsSpan().SequenceEqual(expected[i++]) ? 0 : 1;
            }
            else
            {
                // ... and half score row by row through their own PredictionEngine.
                using var engine = ml.Model.CreatePredictionEngine<Input, Output>(model);
                for (var i = 0; i < rows.Length; i++)
                    mismatches[thread] += engine.Predict(rows[i]).Score.AsSpan().SequenceEqual(expected[i]) ? 0 : 1;
            }
        });

        output.WriteLine($"{Threads} threads x {RowsPerThread} rows scored concurrently");
        Assert.All(mismatches, m => Assert.Equal(0, m));
    }

    [Fact]
    public void Two_models_trained_in_parallel_equal_the_same_models_trained_one_after_the_other()
    {
        float[][] Train(int seed)
        {
            var ml = new MLContext(seed: seed);
            var data = ConformanceRow.View(ml, ConformanceRow.Generate(400, FeatureCount, seed), FeatureCount);
            var model = TrainerUnderTest.Regression.Pipeline(ml, o => { o.HiddenLayerSizes = [32, 16]; o.NumberOfEpochs = 30; }).Fit(data);
            return [model.Transform(data).GetColumn<float>("Score").ToArray()];
        }

        var sequential = new[] { Train(1), Train(2) };
        var parallel = new float[2][][];
        Parallel.For(0, 2, i => parallel[i] = Train(i + 1));

        Assert.Equal(sequential[0], parallel[0]);
        Assert.Equal(sequential[1], parallel[1]);
    }
}
