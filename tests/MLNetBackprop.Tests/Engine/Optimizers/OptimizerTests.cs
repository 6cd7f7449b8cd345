using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Optimizers;

/// <summary>
/// Hand-computed single steps of SGD (classical and Nesterov momentum), Adam, AdamW and RMSprop, each asserted to
/// 1e-6; the training loop stepping each optimizer with its own rule; moments that decay without subnormal values.
/// </summary>
public class OptimizerTests
{
    // A 2-2-1 ReLU network, one row x = (1, 2), target y = 1, squared error, no L2. Flat layout:
    //   W1 = [[0.1, 0.2], [0.3, 0.4]] (row-major fanIn × fanOut), b1 = (0, 0.1), W2 = (0.5, 0.6), b2 = 0.2.
    // Forward: z1 = (1·0.1 + 2·0.3 + 0, 1·0.2 + 2·0.4 + 0.1) = (0.7, 1.1), both positive so a1 = z1;
    //   output = 0.7·0.5 + 1.1·0.6 + 0.2 = 1.21, r = 0.21, loss = ½·0.21² = 0.02205.
    // Backward: dW2 = a1·r = (0.147, 0.231), db2 = 0.21; dA1 = r·W2 = (0.105, 0.126) = dZ1 (ReLU active);
    //   dW1[i][j] = x_i·dZ1_j = [[0.105, 0.126], [0.21, 0.252]], db1 = (0.105, 0.126).
    private static readonly float[] Initial = [0.1f, 0.2f, 0.3f, 0.4f, 0f, 0.1f, 0.5f, 0.6f, 0.2f];
    private static readonly double[] HandGradient = [0.105, 0.126, 0.21, 0.252, 0.105, 0.126, 0.147, 0.231, 0.21];

    private static float[] GradientOfTinyNetwork(float[] parameters)
    {
        var layout = new NetworkLayout(2, [2], 1, ActivationKind.Relu);
        var workspace = new BatchWorkspace(layout, 1);
        workspace.Gather(new TrainingSet([1f, 2f], [1f], null, 2), [0]);
        var loss = Backpropagation.LossAndGradient(parameters, workspace, 1, LossKind.SquaredError, 1f, 0f, weighted: false);
        Assert.Equal(0.02205, loss, 1e-7);
        return workspace.Gradient;
    }

    private static void AssertParameters(double[] expected, float[] actual)
    {
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6, $"parameter {i}: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void Backpropagation_gives_the_hand_worked_gradient_of_the_tiny_network()
        => AssertParameters(HandGradient, GradientOfTinyNetwork(Initial));

    [Theory]
    // First step from zero velocity, η = 0.1, μ = 0.9: v = −η·g. Classical momentum moves by v = −0.1·g;
    // Nesterov moves by μv − η·g = −0.09·g − 0.1·g = −0.19·g.
    [InlineData(false, 0.1)]
    [InlineData(true, 0.19)]
    public void One_sgd_step_on_the_tiny_network_matches_the_hand_computation(bool nesterov, double factor)
    {
        var parameters = (float[])Initial.Clone();
        var optimizer = new SgdOptimizer(parameters.Length, 0.1f, 0.9f, nesterov);
        optimizer.Step(parameters, GradientOfTinyNetwork(parameters));
        AssertParameters(Initial.Select((p, i) => p - factor * HandGradient[i]).ToArray(), parameters);
    }

    [Theory]
    // Same gradient g twice, η = 0.1, μ = 0.9. Step 1 as above. Step 2: v = 0.9·(−0.1g) − 0.1g = −0.19g.
    // Classical: total −0.1g − 0.19g = −0.29g. Nesterov: −0.19g + (0.9·(−0.19g) − 0.1g) = −0.19g − 0.271g = −0.461g.
    [InlineData(false, 0.29)]
    [InlineData(true, 0.461)]
    public void Sgd_momentum_accumulates_velocity_across_steps(bool nesterov, double factor)
    {
        float[] parameters = [1f, -2f];
        float[] gradient = [0.5f, -1f];
        var optimizer = new SgdOptimizer(2, 0.1f, 0.9f, nesterov);
        optimizer.Step(parameters, gradient);
        optimizer.Step(parameters, gradient);
        AssertParameters([1 - factor * 0.5, -2 + factor * 1], parameters);
    }

    [Fact]
    public void One_adam_step_on_the_tiny_network_matches_the_hand_computation()
    {
        // t = 1, η = 0.01, β1 = 0.9, β2 = 0.999, ε = 1e-8: m = 0.1g, v = 0.001g², η₁ = η·√0.001/0.1, so the step is
        // η·√0.001·|g|/(√0.001·|g| + ε)·sign(g) ≈ η·sign(g), short of η by η·ε/(√0.001·|g|) ≤ 3.1e-8 here.
        var parameters = (float[])Initial.Clone();
        var optimizer = new AdamOptimizer(parameters.Length, 0.01f, 0.9f, 0.999f, 1e-8f);
        optimizer.Step(parameters, GradientOfTinyNetwork(parameters));
        var expected = Initial.Select((p, i) => p - 0.01 * Math.Sqrt(0.001) * HandGradient[i] / (Math.Sqrt(0.001) * HandGradient[i] + 1e-8)).ToArray();
        AssertParameters(expected, parameters);
        Assert.Equal(1, optimizer.StepCount);
    }

    [Fact]
    public void Adam_applies_bias_correction_at_the_second_step()
    {
        // η = 0.1, β1 = 0.9, β2 = 0.999, ε = 1e-8, p = 0, gradients 1 then −0.5.
        // t=1: m = 0.1, v = 0.001, η₁ = 0.1·√0.001/0.1 = 0.0316227766; p = −0.0316227766·0.1/(0.0316227766 + 1e-8)
        //      = −0.0999999684.
        // t=2: m = 0.09 − 0.05 = 0.04, v = 0.000999 + 0.00025 = 0.001249, η₂ = 0.1·√(1 − 0.999²)/(1 − 0.9²)
        //      = 0.1·√0.001999/0.19 = 0.0235316725; p −= 0.0235316725·0.04/(√0.001249 + 1e-8) = 0.0266336965
        //      → p = −0.1266336648.
        float[] parameter = [0f];
        var optimizer = new AdamOptimizer(1, 0.1f, 0.9f, 0.999f, 1e-8f);
        optimizer.Step(parameter, [1f]);
        Assert.Equal(-0.0999999684, parameter[0], 1e-6);
        optimizer.Step(parameter, [-0.5f]);
        Assert.Equal(-0.1266336648, parameter[0], 1e-6);
    }

    [Fact]
    public void Two_rmsprop_steps_match_the_hand_computation()
    {
        // ρ = 0.9, η = 0.01, ε = 1e-8, p = 1. g = 0.5: s = 0.025, p −= 0.01·0.5/(√0.025 + ε) → 0.9683772254.
        // g = −1: s = 0.9·0.025 + 0.1 = 0.1225, p += 0.01/(0.35 + ε) → 0.9969486532.
        float[] p = [1f];
        var optimizer = new RmsPropOptimizer(1, 0.01f, 0.9f, 1e-8f);
        optimizer.Step(p, [0.5f]);
        Assert.Equal(0.968377225398316, p[0], 1e-6);
        optimizer.Step(p, [-1f]);
        Assert.Equal(0.9969486531534181, p[0], 1e-6);
    }

    [Fact]
    public void Adamw_decays_the_weight_but_not_the_bias_before_the_adam_step()
    {
        // λ = 0.1, η = 0.1: w ← 0.5·(1 − 0.01) = 0.495; then Adam's first step moves both parameters by
        // η·√0.001·0.7/(√0.001·0.7 + 1e-8) = 0.0999999548: w = 0.3950000452, b = 0.1000000452.
        var p = OneRowLinearModel.TrainOneEpoch(new TrainingSettings
        {
            HiddenLayerSizes = [], Loss = LossKind.SquaredError, Optimizer = OptimizerKind.Adam, LearningRate = 0.1f,
            WeightDecay = 0.1f, L2 = 0, BatchSize = 1, MaxEpochs = 1, Tolerance = 0,
        });
        Assert.Equal(0.39500004517537474, p[0], 1e-6);
        Assert.Equal(0.10000004517537475, p[1], 1e-6);
    }

    [Theory]
    [InlineData(nameof(OptimizerKind.Sgd))]
    [InlineData(nameof(OptimizerKind.RmsProp))]
    [InlineData(nameof(OptimizerKind.Adam))]
    public void The_training_loop_steps_each_optimizer_with_its_own_rule(string kindName)
    {
        var kind = Enum.Parse<OptimizerKind>(kindName);
        var expected = new float[] { 0.5f, 0.2f };
        var optimizer = MiniBatchOptimizer.Create(OneRowLinearModel.Settings(kind), 2);
        optimizer.Step(expected, [0.7f, 0.7f]);
        Assert.Equal(expected, OneRowLinearModel.TrainOneEpoch(OneRowLinearModel.Settings(kind)));
    }

    [Fact]
    public void Optimizers_reject_a_gradient_of_the_wrong_length()
    {
        Assert.Throws<ArgumentException>(() => new SgdOptimizer(3, 0.1f, 0.9f, true).Step(new float[3], new float[2]));
        Assert.Throws<ArgumentException>(() => new AdamOptimizer(3, 0.1f, 0.9f, 0.999f, 1e-8f).Step(new float[2], new float[3]));
    }

    // A moment whose gradient has stopped decays geometrically; it must reach exactly zero without passing through
    // subnormal floats (each operation on one costs a ~100-cycle microcode assist on x86).
    [Theory]
    [InlineData(nameof(OptimizerKind.Sgd))]
    [InlineData(nameof(OptimizerKind.RmsProp))]
    [InlineData(nameof(OptimizerKind.Adam))]
    public void Moments_of_a_gradient_that_stops_decay_to_zero_without_subnormal_values(string kindName)
    {
        var kind = Enum.Parse<OptimizerKind>(kindName);
        const int n = 37;
        var settings = new TrainingSettings { Optimizer = kind, LearningRate = 1e-2f, Momentum = 0.9f, RmsPropDecay = 0.9f };
        var optimizer = MiniBatchOptimizer.Create(settings, n);
        var parameters = new float[n];
        optimizer.Step(parameters, Enumerable.Repeat(1e-3f, n).ToArray());
        var zero = new float[n];
        for (var step = 0; step < 3000; step++)
        {
            optimizer.Step(parameters, zero);
            var moments = SavedMoments(optimizer);
            Assert.DoesNotContain(moments, float.IsSubnormal);
        }
        // The first moment (velocity, mean square, Adam's m) is exactly zero; Adam's slow second moment need not be.
        Assert.All(SavedMoments(optimizer).Take(n), value => Assert.Equal(0f, value));
    }

    // Every float the optimizer writes to a checkpoint after its header: the moment vectors in order.
    private static float[] SavedMoments(IOptimizer optimizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            optimizer.SaveState(writer);
        stream.Position = optimizer is AdamOptimizer ? sizeof(long) : 0;
        using var reader = new BinaryReader(stream);
        var values = new List<float>();
        while (stream.Position < stream.Length)
        {
            var length = reader.ReadInt32();
            for (var i = 0; i < length; i++)
                values.Add(reader.ReadSingle());
        }
        return values.ToArray();
    }
}
