using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Training;

public class BackpropagationTests
{
    public static TheoryData<string, string> ActivationsAndLosses()
    {
        var data = new TheoryData<string, string>();
        foreach (var activation in Enum.GetValues<ActivationKind>())
            foreach (var loss in Enum.GetValues<LossKind>())
                data.Add(activation.ToString(), loss.ToString());
        return data;
    }

    private static BatchWorkspace Gather(NetworkLayout layout, TrainingSet data)
    {
        var workspace = new BatchWorkspace(layout, data.RowCount);
        workspace.Gather(data, Enumerable.Range(0, data.RowCount).ToArray());
        return workspace;
    }

    [Theory]
    [MemberData(nameof(ActivationsAndLosses))]
    public void Whole_network_gradient_matches_finite_differences_with_weights_and_L2(string activationName, string lossName)
    {
        var activation = Enum.Parse<ActivationKind>(activationName);
        var loss = Enum.Parse<LossKind>(lossName);
        // 5-7-4-K with every parameter random (biases too, so a wrong bias gradient shows) and strong L2.
        const int rows = 6;
        // Squared error and multi-label with several outputs: the multi-output and multi-label heads.
        var outputs = loss switch
        {
            LossKind.SoftmaxCrossEntropy or LossKind.MultiLabelLogistic => 3,
            LossKind.SquaredError => 2,
            _ => 1,
        };
        var layout = new NetworkLayout(5, [7, 4], outputs, activation);
        var parameters = TestData.Uniform(layout.ParameterCount, -0.8f, 0.8f, 11);
        var x = TestData.Uniform(rows * 5, -1.5f, 1.5f, 12);
        var targets = loss switch
        {
            LossKind.SoftmaxCrossEntropy => TestData.ClassTargets(rows, 3, 13),
            LossKind.Logistic => [1, 0, 0, 1, 1, 0],
            LossKind.MultiLabelLogistic => TestData.MultiLabelTargets(rows, outputs, 15),
            _ => TestData.Uniform(rows * outputs, -1, 1, 14),
        };
        float[] weights = [1f, 0.5f, 2f, 0f, 1.5f, 1f];
        const float l2 = 0.3f, delta = 0.4f;
        var data = new TrainingSet(x, targets, weights, 5, ReferenceNetwork.TargetWidth(loss, outputs));
        var workspace = Gather(layout, data);

        var value = Backpropagation.LossAndGradient(parameters, workspace, rows, loss, delta, l2, weighted: true);

        ReferenceNetwork.AssertMatchesFiniteDifferences(layout, parameters, x, targets, weights, loss, delta, l2, value, workspace.Gradient);
    }

    [Fact]
    public void A_linear_model_without_hidden_layers_gets_the_textbook_gradient()
    {
        // One layer: ∂/∂W of ½(xW + b − y)² is x·r and ∂/∂b is r. x = (1, −2), W = (0.5, 0.25), b = 0.1, y = 1:
        // output 0.5 − 0.5 + 0.1 = 0.1, r = −0.9, gradient (−0.9, 1.8, −0.9), loss 0.405.
        var layout = new NetworkLayout(2, [], 1, ActivationKind.Relu);
        var workspace = Gather(layout, new TrainingSet([1f, -2f], [1f], null, 2));
        var loss = Backpropagation.LossAndGradient([0.5f, 0.25f, 0.1f], workspace, 1, LossKind.SquaredError, 1f, 0f, weighted: false);
        Assert.Equal(0.405, loss, 1e-6);
        Assert.Equal(-0.9f, workspace.Gradient[0], 1e-6f);
        Assert.Equal(1.8f, workspace.Gradient[1], 1e-6f);
        Assert.Equal(-0.9f, workspace.Gradient[2], 1e-6f);
    }

    [Fact]
    public void A_smaller_batch_in_a_larger_workspace_ignores_stale_rows()
    {
        var layout = new NetworkLayout(3, [4], 2, ActivationKind.Tanh);
        var parameters = TestData.Uniform(layout.ParameterCount, -1, 1, 21);
        var data = new TrainingSet(TestData.Uniform(15, -1, 1, 22), [0, 1, 1, 0, 1], null, 3);

        var exact = new BatchWorkspace(layout, 2);
        exact.Gather(data, [3, 1]);
        var expected = Backpropagation.LossAndGradient(parameters, exact, 2, LossKind.SoftmaxCrossEntropy, 1f, 0.1f, false);

        var large = new BatchWorkspace(layout, 5);
        large.Gather(data, [0, 1, 2, 3, 4]);
        Backpropagation.LossAndGradient(parameters, large, 5, LossKind.SoftmaxCrossEntropy, 1f, 0.1f, false);
        large.Gather(data, [3, 1]);
        var actual = Backpropagation.LossAndGradient(parameters, large, 2, LossKind.SoftmaxCrossEntropy, 1f, 0.1f, false);

        Assert.Equal(expected, actual);
        Assert.Equal(exact.Gradient, large.Gradient);
    }
}
