using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Model.OnnxConverter;
using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;

namespace MLNetBackprop.MLNet;

/// <summary>
/// Writes a <see cref="Network"/> into an ONNX graph that ML.NET's converter is building: the numeric encoding and the
/// input scaling, then one
/// Gemm per layer with its activation, computing what <see cref="Network.Predict"/> computes (every operation in the
/// same order, so the scores agree to float rounding). The heads (sigmoid, softmax, label mapping) are the callers'.
/// </summary>
internal sealed class OnnxNetworkWriter
{
    /// <summary>The lowest opset the graph needs (Min and Max with broadcasting); ML.NET's converter offers 9 to 12.</summary>
    public const int MinimumOpSet = 9;

    /// <summary>
    /// The most parameters an exported network may hold: an ONNX file is one protocol buffer, which cannot exceed
    /// 2 GiB, and the weights are stored as float32; the rest leaves room for the graph and the pipeline's other steps.
    /// </summary>
    public const long MaximumParameters = 500_000_000;

    private readonly OnnxContext _ctx;

    /// <summary>A writer adding nodes to <paramref name="ctx"/>.</summary>
    public OnnxNetworkWriter(OnnxContext ctx) => _ctx = ctx;

    /// <summary>
    /// Adds <paramref name="network"/> applied to the [rows × inputs] float tensor <paramref name="features"/>, and
    /// returns the variable holding its raw outputs (logits), [rows × outputs]: <paramref name="output"/> when given.
    /// </summary>
    /// <exception cref="InvalidOperationException">The network is too large for an ONNX file, or the opset too old.</exception>
    public string AddNetwork(Network network, string features, string? output = null)
    {
        var layout = network.Layout;
        CheckExportable(layout);
        _ctx.CheckOpSetVersion(MinimumOpSet, "MLP (MLNetBackprop)");
        var input = network.Encoding is { } encoding ? AddEncoding(encoding, features) : features;
        input = network.Scaling is { } scaling ? AddScaling(scaling, input) : input;
        for (var layer = 0; layer < layout.LayerCount; layer++)
        {
            var fanIn = layout.Widths[layer];
            var fanOut = layout.Widths[layer + 1];
            var weights = Initializer(network.Parameters.Slice(layout.WeightOffsets[layer], fanIn * fanOut), [fanIn, fanOut], $"W{layer}");
            var biases = Initializer(network.Parameters.Slice(layout.BiasOffsets[layer], fanOut), [fanOut], $"B{layer}");
            var last = layer == layout.LayerCount - 1;
            var affine = last && output is not null ? output : Variable($"Layer{layer}", fanOut);
            // Gemm's C broadcasts the biases over the rows; A·B with B the row-major [fanIn × fanOut] weights.
            Node("Gemm", [input, weights, biases], affine);
            input = last ? affine : AddActivation(layout.HiddenActivation, affine, fanOut);
        }
        return input;
    }

    /// <summary>Fails, naming the reason and the fix, when <paramref name="layout"/> cannot be written to an ONNX file.</summary>
    /// <exception cref="InvalidOperationException">The network holds more than <see cref="MaximumParameters"/> parameters.</exception>
    public static void CheckExportable(NetworkLayout layout)
    {
        if (layout.ParameterCount > MaximumParameters)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"This MLP has {layout.ParameterCount:N0} parameters ({layout.ParameterCount * 4.0 / (1 << 30):F1} GiB of float32 " +
                $"weights); an ONNX file holds at most 2 GiB, so ONNX export supports at most {MaximumParameters:N0}. " +
                $"Train with smaller HiddenLayerSizes (now [{string.Join(", ", layout.HiddenSizes)}]) or fewer features " +
                $"({layout.InputCount:N0}) to export it, or deploy it with mlContext.Model.Save."));
    }

    /// <summary>Adds node <paramref name="opType"/> from <paramref name="inputs"/> to <paramref name="output"/>; returns the node for attributes.</summary>
    public OnnxNode Node(string opType, string[] inputs, string output)
        => _ctx.CreateNode(opType, inputs, [output], _ctx.GetNodeName(opType), "");

    /// <summary>A new float variable of <paramref name="width"/> values per row, named after <paramref name="name"/>.</summary>
    public string Variable(string name, int width) => Variable(name, new VectorDataViewType(NumberDataViewType.Single, width));

    /// <summary>A new variable of type <paramref name="type"/>, named after <paramref name="name"/>.</summary>
    public string Variable(string name, DataViewType type)
    {
        // The context maps the name given to the new variable as if it were a data view column: a name that is one of
        // the pipeline's columns would redirect that column (and the graph output of it) to this variable.
        var column = "Mlp" + name;
        for (var i = 0; _ctx.ContainsColumn(column); i++)
            column = string.Create(CultureInfo.InvariantCulture, $"Mlp{name}_{i}");
        return _ctx.AddIntermediateVariable(type, column, true);
    }

    /// <summary>A scalar float constant.</summary>
    public string Constant(float value, string name) => _ctx.AddInitializer(value, name, true);

    /// <summary>A scalar int64 constant.</summary>
    public string Constant(long value, string name) => _ctx.AddInitializer(value, name, true);

    /// <summary>A float constant of shape <paramref name="dims"/> holding <paramref name="values"/>.</summary>
    public string Initializer(ReadOnlySpan<float> values, long[] dims, string name)
        => _ctx.AddInitializer(values.ToArray(), dims, name, true);

    // The encoding's exact sequence (PiecewiseLinearEncoding.Apply): each bin's feature gathered, (x − offset) · factor,
    // clamped below and above (±∞ where a bin is open), appended to the features.
    private string AddEncoding(PiecewiseLinearEncoding encoding, string features)
    {
        var bins = encoding.BinCount;
        var indices = _ctx.AddInitializer(encoding.Features.ToArray().Select(f => (long)f), [bins], "EncodingFeatures", true);
        var gathered = Variable("EncodingValues", bins);
        Node("Gather", [features, indices], gathered).AddAttribute("axis", 1L);
        var z = Binary("Sub", gathered, Initializer(encoding.Offsets, [bins], "EncodingOffsets"), "EncodingShifted", bins);
        z = Binary("Mul", z, Initializer(encoding.Factors, [bins], "EncodingFactors"), "EncodingPositions", bins);
        z = Binary("Max", z, Initializer(encoding.LowerBounds, [bins], "EncodingLower"), "EncodingAbove", bins);
        z = Binary("Min", z, Initializer(encoding.UpperBounds, [bins], "EncodingUpper"), "EncodingBins", bins);
        var encoded = Variable("EncodedInputs", encoding.EncodedCount);
        Node("Concat", [features, z], encoded).AddAttribute("axis", 1L);
        return encoded;
    }

    // The input scaling's exact sequence (InputScaling.ApplyDense): (x − center) · factor, clamped to ±LargestScaled,
    // then z / sqrt(1 + z²·(1/9)), each a separately rounded operation.
    private string AddScaling(InputScaling scaling, string features)
    {
        var width = scaling.FeatureCount;
        var x = features;
        if (scaling.IsCentered)
            x = Binary("Sub", x, Initializer(scaling.Centers, [width], "ScalingCenters"), "Centered", width);
        var z = Binary("Mul", x, Initializer(scaling.Factors, [width], "ScalingFactors"), "Scaled", width);
        z = Binary("Min", z, Constant(InputScaling.LargestScaled, "ScalingUpper"), "ClampedAbove", width);
        z = Binary("Max", z, Constant(-InputScaling.LargestScaled, "ScalingLower"), "Clamped", width);
        var d = Binary("Mul", z, z, "Squared", width);
        d = Binary("Mul", d, Constant(InputScaling.InverseClipBoundSquared, "InverseClipSquared"), "Ratio", width);
        d = Binary("Add", d, Constant(1f, "One"), "OnePlusRatio", width);
        var root = Variable("ClipDenominator", width);
        Node("Sqrt", [d], root);
        return Binary("Div", z, root, "ScaledInputs", width);
    }

    private string AddActivation(ActivationKind kind, string input, int width)
    {
        switch (kind)
        {
            case ActivationKind.Identity:
                return input;
            case ActivationKind.Relu:
                return Unary("Relu", input, width);
            case ActivationKind.LeakyRelu:
                var leaky = Variable("LeakyRelu", width);
                Node("LeakyRelu", [input], leaky).AddAttribute("alpha", (double)Activations.LeakySlope);
                return leaky;
            case ActivationKind.Tanh:
                return Unary("Tanh", input, width);
            case ActivationKind.Sigmoid:
                return Unary("Sigmoid", input, width);
            case ActivationKind.Gelu:
                return AddGelu(input, width);
            default:
                throw new InvalidOperationException($"ONNX export does not know the activation {kind}.");
        }
    }

    // The tanh approximation exactly as Activations.Forward evaluates it, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x·x·x)));
    // opset 20's Gelu(approximate="tanh") is beyond the converter's opsets, and the Erf form differs.
    private string AddGelu(string x, int width)
    {
        var cubic = Binary("Mul", Constant(Activations.GeluCubic, "GeluCubic"), x, "GeluCx", width);
        cubic = Binary("Mul", cubic, x, "GeluCx2", width);
        cubic = Binary("Mul", cubic, x, "GeluCx3", width);
        var inner = Binary("Add", x, cubic, "GeluInner", width);
        inner = Binary("Mul", Constant(Activations.GeluScale, "GeluScale"), inner, "GeluScaled", width);
        var tanh = Unary("Tanh", inner, width);
        var onePlus = Binary("Add", Constant(1f, "One"), tanh, "GeluOnePlus", width);
        var half = Binary("Mul", Constant(0.5f, "Half"), x, "GeluHalfX", width);
        return Binary("Mul", half, onePlus, "Gelu", width);
    }

    private string Unary(string opType, string input, int width)
    {
        var output = Variable(opType, width);
        Node(opType, [input], output);
        return output;
    }

    private string Binary(string opType, string left, string right, string name, int width)
    {
        var output = Variable(name, width);
        Node(opType, [left, right], output);
        return output;
    }
}
