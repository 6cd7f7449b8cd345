using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetBackprop;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.MLNet;

[assembly: LoadableClass(typeof(MlpMulticlassModelParameters), null, typeof(SignatureLoadModel),
    "MLP multiclass classifier", MlpMulticlassModelParameters.LoaderSignature)]

namespace MLNetBackprop;

/// <summary>
/// A trained MLP multiclass classifier. Its score is the vector of class probabilities (softmax of the
/// network's outputs), in the order of the label's key values; ML.NET's scorer picks the most probable class
/// as <c>PredictedLabel</c>.
/// </summary>
public sealed class MlpMulticlassModelParameters : MlpModelParametersBase<VBuffer<float>>
{
    internal const string LoaderSignature = "MlpMulticlassPredictor";

    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "MLPMULTI",
        verWrittenCur: 0x00010003, // 0x00010002: training history after the model; 0x00010003: the network's input scaling
        verReadableCur: 0x00010003,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(MlpMulticlassModelParameters).Assembly.FullName);

    private readonly VectorDataViewType _outputType;

    internal MlpMulticlassModelParameters(IHostEnvironment env, Network network, MlpTrainingRecord? training = null)
        : base(env, LoaderSignature, network, training)
    {
        _outputType = new VectorDataViewType(NumberDataViewType.Single, network.Layout.OutputCount);
    }

    // ML.NET's model loader calls this constructor (found by its signature); it checks the version stamp first.
    private MlpMulticlassModelParameters(IHostEnvironment env, ModelLoadContext ctx)
        : base(env, LoaderSignature, CheckedAtModel(ctx, GetVersionInfo()))
    {
        if (Network.Layout.OutputCount < 2)
            throw new InvalidDataException($"The MLP multiclass model in this file has {Network.Layout.OutputCount} outputs; at least 2 are needed.");
        _outputType = new VectorDataViewType(NumberDataViewType.Single, Network.Layout.OutputCount);
        LoadHistory(ctx);
    }

    /// <summary>Number of classes (the label's key count at training time).</summary>
    public int ClassCount => Network.Layout.OutputCount;

    /// <inheritdoc/>
    protected override PredictionKind PredictionKind => PredictionKind.MulticlassClassification;
    private protected override DataViewType OutputType => _outputType;
    private protected override VersionInfo ModelVersion => GetVersionInfo();

    // The scorer names [PredictedLabel, Score]: Score the softmax, PredictedLabel the key (1-based, uint32) of its
    // first largest value, as the scorer's ArgMax + 1 gives.
    private protected override void SaveAsOnnx(OnnxNetworkWriter writer, string[] outputNames, string features)
    {
        Host.Check(outputNames.Length == 2, "The multiclass scorer exports PredictedLabel and Score.");
        var logits = writer.AddNetwork(Network, features);
        var probabilities = outputNames[1];
        writer.Node("Softmax", [logits], probabilities).AddAttribute("axis", 1L);
        var index = writer.Variable("ArgMax", NumberDataViewType.Int64);
        var argMax = writer.Node("ArgMax", [probabilities], index);
        argMax.AddAttribute("axis", 1L);
        argMax.AddAttribute("keepdims", 1L);
        var key = writer.Variable("ClassKey", NumberDataViewType.Int64);
        writer.Node("Add", [index, writer.Constant(1L, "KeyOffset")], key);
        writer.Node("Cast", [key], outputNames[0]).AddAttribute("to", typeof(uint));
    }

    private protected override ValueMapper<VBuffer<float>, VBuffer<float>> CreateScoreMapper()
    {
        var predictor = new RowPredictor(Network);
        var classCount = ClassCount;
        return (in VBuffer<float> features, ref VBuffer<float> probabilities) =>
        {
            var logits = predictor.Predict(features);
            var editor = VBufferEditor.Create(ref probabilities, classCount);
            OutputLink.Softmax(logits, editor.Values);
            probabilities = editor.Commit();
        };
    }
}
