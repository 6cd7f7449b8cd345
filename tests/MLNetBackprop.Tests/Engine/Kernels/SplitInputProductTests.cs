using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Randomness;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;
using static MLNetBackprop.Tests.TestSupport.KernelReference;

namespace MLNetBackprop.Tests.Engine.Kernels;

/// <summary>
/// The first layer of a wide input is two FMA chains over the halves of its inputs plus one add, on every vector
/// path and thread count, in training and in prediction alike.
/// </summary>
public class SplitInputProductTests
{
    public static TheoryData<int> Levels() => KernelReference.Levels();

    // z = fma chain over the first half from the bias, plus an fma chain over the second half from zero.
    private static float[] Reference(float[] x, float[] w, float[] bias, int rows, int k, int n)
    {
        var h = SplitInputProduct.SplitPoint(k);
        var first = NaiveFma(rows, n, h, (i, p) => x[i * k + p], (p, j) => w[p * n + j], (_, j) => bias[j]);
        var second = NaiveFma(rows, n, k - h, (i, p) => x[i * k + h + p], (p, j) => w[(h + p) * n + j], (_, _) => 0f);
        return first.Select((value, i) => value + second[i]).ToArray();
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Equals_two_fma_chains_over_the_input_halves_plus_one_add_on_every_path_and_thread_count(int levelNumber)
    {
        var level = (SimdLevel)levelNumber;
        using var forced = SimdSelection.Force(level);
        using var scope = new ThreadCountScope(KernelThreads.ThreadCount);
        foreach (var (rows, k, n) in new[] { (1, 256, 10), (7, 300, 37), (33, 257, 1), (200, 784, 128) })
        {
            var x = TestData.Uniform(rows * k, -1, 1, 1);
            var w = TestData.Uniform(k * n, -1, 1, 2);
            var bias = TestData.Uniform(n, -1, 1, 3);
            var expected = Reference(x, w, bias, rows, k, n);
            var relu = expected.Select(v => v <= 0 ? 0f : v).ToArray();
            foreach (var threads in new[] { 1, 2, 3, 4 })
            {
                KernelThreads.ThreadCount = threads;
                var (z, a) = (new float[rows * n], new float[rows * n]);
                SplitInputProduct.Run(x, w, bias, z, rows, k, n, ActivationKind.Relu, a);
                AssertSame(expected, z, $"{level} {threads} threads {rows}x{k}x{n} z");
                AssertSame(relu, a, $"{level} {threads} threads {rows}x{k}x{n} relu");
            }
        }
    }

    [Theory]
    [InlineData(255, false)]
    [InlineData(256, true)]
    [InlineData(784, true)]
    public void Only_the_first_layer_of_an_input_of_at_least_256_features_is_split(int inputs, bool split)
    {
        var layout = new NetworkLayout(inputs, [300], 3, ActivationKind.Relu);
        Assert.Equal(split, DenseLayer.SplitsInputs(layout, 0));
        Assert.False(DenseLayer.SplitsInputs(layout, 1)); // 300 inputs, but not the first layer
        Assert.Equal(split ? (inputs + 7) / 8 / 2 * 8 : 0, SplitInputProduct.SplitPoint(inputs));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Prediction_gives_the_training_forward_pass_outputs_bit_for_bit(int threads)
    {
        using var scope = new ThreadCountScope(threads);
        const int rows = 50, inputs = 300;
        var layout = new NetworkLayout(inputs, [64], 4, ActivationKind.Relu);
        var parameters = new float[layout.ParameterCount];
        ParameterInitializer.Initialize(layout, parameters, new SeededRandom(5));
        var x = TestData.Uniform(rows * inputs, 0, 1, 6);
        var workspace = new BatchWorkspace(layout, rows);
        workspace.Gather(new TrainingSet(x, new float[rows], null, inputs), Enumerable.Range(0, rows).ToArray());
        Backpropagation.Forward(parameters, workspace, rows);
        var network = new Network(layout, parameters);
        var batch = new float[rows * 4];
        network.PredictBatch(x, batch, rows);
        AssertSame(workspace.Outputs(rows).ToArray(), batch, "batch prediction");
        var buffers = new PredictionBuffers(layout.MaxWidth, 0);
        var single = new float[4];
        for (var r = 0; r < rows; r++)
        {
            network.Predict(x.AsSpan(r * inputs, inputs), single, buffers);
            AssertSame(workspace.Outputs(rows).Slice(r * 4, 4).ToArray(), single, $"row {r}");
        }
    }
}
