using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Layers;

public class LossesTests
{
    private const int Rows = 6;

    public static TheoryData<string, bool> KindsWithAndWithoutWeights()
    {
        var data = new TheoryData<string, bool>();
        foreach (var kind in Enum.GetValues<LossKind>())
        {
            data.Add(kind.ToString(), false);
            data.Add(kind.ToString(), true);
        }
        return data;
    }

    private static int OutputsOf(LossKind kind) => kind switch
    {
        LossKind.SoftmaxCrossEntropy => 4,
        LossKind.MultiLabelLogistic => 3,
        _ => 1,
    };

    private static float[] TargetsOf(LossKind kind) => kind switch
    {
        LossKind.SoftmaxCrossEntropy => TestData.ClassTargets(Rows, 4, 3),
        LossKind.Logistic => [0, 1, 1, 0, 1, 0],
        LossKind.MultiLabelLogistic => TestData.MultiLabelTargets(Rows, 3, 4),
        _ => TestData.Uniform(Rows, -2, 2, 4),
    };

    // Includes a zero weight: that row must not influence loss or gradient at all.
    private static readonly float[] SomeWeights = [0.5f, 2f, 0f, 1f, 3f, 0.25f];

    private static double Evaluate(LossKind kind, float[] outputs, float[] targets, float[]? weights, float[] gradient)
        => Losses.Evaluate(kind, 0.7f, outputs, targets, weights, OutputsOf(kind), gradient);

    [Theory]
    [MemberData(nameof(KindsWithAndWithoutWeights))]
    public void Gradient_matches_finite_differences_of_the_loss(string kindName, bool weighted)
    {
        var kind = Enum.Parse<LossKind>(kindName);
        var k = OutputsOf(kind);
        // Spread of ±3 around targets in [-2, 2] puts Huber residuals on both sides of δ = 0.7.
        var outputs = TestData.Uniform(Rows * k, -3, 3, 5);
        var targets = TargetsOf(kind);
        var weights = weighted ? SomeWeights : null;
        var gradient = new float[outputs.Length];
        Evaluate(kind, outputs, targets, weights, gradient);

        var scratch = new float[outputs.Length];
        const float h = 1e-3f;
        for (var i = 0; i < outputs.Length; i++)
        {
            var probe = (float[])outputs.Clone();
            probe[i] = outputs[i] + h;
            var up = Evaluate(kind, probe, targets, weights, scratch);
            var stepUp = probe[i];
            probe[i] = outputs[i] - h;
            var down = Evaluate(kind, probe, targets, weights, scratch);
            var numeric = (up - down) / ((double)stepUp - probe[i]);
            Assert.True(Math.Abs(gradient[i] - numeric) <= 1e-5 + 1e-4 * Math.Abs(numeric),
                $"{kind} output {i}: analytic {gradient[i]}, numeric {numeric}");
        }
    }

    [Theory]
    [MemberData(nameof(KindsWithAndWithoutWeights))]
    public void Loss_is_the_weighted_mean_of_the_textbook_formula(string kindName, bool weighted)
    {
        var kind = Enum.Parse<LossKind>(kindName);
        var k = OutputsOf(kind);
        var outputs = TestData.Uniform(Rows * k, -3, 3, 6);
        var targets = TargetsOf(kind);
        var weights = weighted ? SomeWeights : null;
        var loss = Evaluate(kind, outputs, targets, weights, new float[outputs.Length]);
        var expected = ReferenceNetwork.MeanLoss(kind, 0.7f, outputs.Select(v => (double)v).ToArray(), targets, weights, k);
        Assert.Equal(expected, loss, 1e-9);
    }

    [Theory]
    [InlineData(nameof(LossKind.SoftmaxCrossEntropy))]
    [InlineData(nameof(LossKind.SquaredError))]
    public void Integer_weights_act_like_repeated_rows(string kindName)
    {
        var kind = Enum.Parse<LossKind>(kindName);
        var k = OutputsOf(kind);
        var outputs = TestData.Uniform(2 * k, -2, 2, 7);
        float[] targets = kind == LossKind.SoftmaxCrossEntropy ? [1, 3] : [0.5f, -1f];
        var gradient = new float[outputs.Length];
        var loss = Losses.Evaluate(kind, 1f, outputs, targets, [3f, 1f], k, gradient);

        // The first row three times, the second once, unweighted.
        float[] repeated = [.. outputs[..k], .. outputs[..k], .. outputs[..k], .. outputs[k..]];
        var repeatedGradient = new float[repeated.Length];
        var repeatedLoss = Losses.Evaluate(kind, 1f, repeated, [targets[0], targets[0], targets[0], targets[1]], default, k, repeatedGradient);

        Assert.Equal(repeatedLoss, loss, 1e-12);
        for (var j = 0; j < k; j++)
        {
            Assert.Equal(3 * repeatedGradient[j], gradient[j], 1e-6f);
            Assert.Equal(repeatedGradient[3 * k + j], gradient[k + j], 1e-6f);
        }
    }

    [Fact]
    public void A_batch_whose_weights_sum_to_zero_contributes_nothing()
    {
        var gradient = new float[] { 9, 9, 9 };
        var loss = Losses.Evaluate(LossKind.SquaredError, 1f, [1f, 2f, 3f], [0f, 0f, 0f], [0f, 0f, 0f], 1, gradient);
        Assert.Equal(0, loss);
        Assert.Equal([0f, 0f, 0f], gradient);
    }

    [Fact]
    public void Softmax_and_logistic_stay_finite_for_huge_logits()
    {
        var gradient = new float[3];
        var softmax = Losses.Evaluate(LossKind.SoftmaxCrossEntropy, 1f, [1e4f, -1e4f, 0f], [1f], default, 3, gradient);
        Assert.Equal(2e4, softmax, 1e-6);
        Assert.Equal([1f, -1f, 0f], gradient);

        var logistic = Losses.Evaluate(LossKind.Logistic, 1f, [-1000f, 1000f], [1f, 1f], default, 1, gradient);
        Assert.Equal(500, logistic, 1e-9); // mean of 1000 and ~0
        Assert.Equal(-0.5f, gradient[0], 1e-7f);
        Assert.Equal(0f, gradient[1], 1e-7f);
    }

    [Fact]
    public void Huber_is_quadratic_inside_delta_and_linear_beyond()
    {
        var gradient = new float[2];
        // Residuals 0.5 and -3 with δ = 1: ½·0.25 and 1·(3 − ½), mean (0.125 + 2.5)/2.
        var loss = Losses.Evaluate(LossKind.Huber, 1f, [1.5f, -3f], [1f, 0f], default, 1, gradient);
        Assert.Equal(1.3125, loss, 1e-12);
        Assert.Equal([0.25f, -0.5f], gradient);
    }

    [Theory]
    [InlineData(nameof(LossKind.SquaredError))]
    [InlineData(nameof(LossKind.Huber))]
    public void Multi_output_regression_gradient_matches_finite_differences_and_masks_NaN_targets(string kindName)
    {
        var kind = Enum.Parse<LossKind>(kindName);
        const int k = 3;
        var outputs = TestData.Uniform(Rows * k, -3, 3, 8);
        var targets = TestData.Uniform(Rows * k, -2, 2, 9);
        targets[4] = float.NaN; // row 1, second target: masked out
        var gradient = new float[outputs.Length];
        var loss = Losses.Evaluate(kind, 0.7f, outputs, targets, SomeWeights, k, gradient);

        Assert.Equal(ReferenceNetwork.MeanLoss(kind, 0.7f, outputs.Select(v => (double)v).ToArray(), targets, SomeWeights, k), loss, 1e-9);
        Assert.Equal(0f, gradient[4]);
        var scratch = new float[outputs.Length];
        const float h = 1e-3f;
        for (var i = 0; i < outputs.Length; i++)
        {
            var probe = (float[])outputs.Clone();
            probe[i] = outputs[i] + h;
            var up = Losses.Evaluate(kind, 0.7f, probe, targets, SomeWeights, k, scratch);
            var stepUp = probe[i];
            probe[i] = outputs[i] - h;
            var down = Losses.Evaluate(kind, 0.7f, probe, targets, SomeWeights, k, scratch);
            var numeric = (up - down) / ((double)stepUp - probe[i]);
            Assert.True(Math.Abs(gradient[i] - numeric) <= 1e-5 + 1e-4 * Math.Abs(numeric),
                $"{kind} output {i}: analytic {gradient[i]}, numeric {numeric}");
        }
    }

    [Fact]
    public void One_label_of_weight_one_gives_the_logistic_loss_and_gradient_bit_for_bit()
    {
        var outputs = TestData.Uniform(Rows, -3, 3, 10);
        float[] labels = [0, 1, 1, 0, 1, 0];
        var multiLabelTargets = labels.SelectMany(y => new[] { y, 1f }).ToArray();
        var (logisticGradient, multiLabelGradient) = (new float[Rows], new float[Rows]);

        var logistic = Losses.Evaluate(LossKind.Logistic, 1f, outputs, labels, SomeWeights, 1, logisticGradient);
        var multiLabel = Losses.Evaluate(LossKind.MultiLabelLogistic, 1f, outputs, multiLabelTargets, SomeWeights, 1, multiLabelGradient);

        Assert.Equal(BitConverter.DoubleToInt64Bits(logistic), BitConverter.DoubleToInt64Bits(multiLabel));
        Assert.Equal(logisticGradient, multiLabelGradient);
    }
}
