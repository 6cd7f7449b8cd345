using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetBackprop;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.MLNet;

[assembly: LoadableClass(typeof(MlpRegressionModelParameters), null, typeof(SignatureLoadModel),
    "MLP regressor", MlpRegressionModelParameters.LoaderSignature)]

namespace MLNetBackprop;

/// <summary>
/// A trained MLP regressor. The network learns the label standardized to mean 0 and standard deviation 1
/// (so the default learning rate suits labels of any scale); the score is mapped back to label units.
/// </summary>
public sealed class MlpRegressionModelParameters : MlpModelParametersBase<float>
{
    internal const string LoaderSignature = "MlpRegressionPredictor";

    // Loading checks against the vector label's stamp, the newest this code reads.
    private static VersionInfo GetVersionInfo(bool vectorLabel = true) => new(
        modelSignature: "MLPREGRS",
        verWrittenCur: vectorLabel ? VectorLabelVersion : 0x00010003, // 0x00010002: training history after the model; 0x00010003: the network's input scaling; 0x00010004: a vector label
        verReadableCur: vectorLabel ? VectorLabelVersion : 0x00010003,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(MlpRegressionModelParameters).Assembly.FullName);

    internal MlpRegressionModelParameters(IHostEnvironment env, Network network, LabelScaling labelScaling, MlpTrainingRecord? training = null,
        VectorLabel? vectorLabel = null)
        : base(env, LoaderSignature, network, training)
    {
        LabelScaling = labelScaling;
        VectorLabel = vectorLabel;
    }

    // ML.NET's model loader calls this constructor (found by its signature); it checks the version stamp first.
    private MlpRegressionModelParameters(IHostEnvironment env, ModelLoadContext ctx)
        : base(env, LoaderSignature, CheckedAtModel(ctx, GetVersionInfo()))
    {
        // *** Binary format ***: network, then float label mean, float label standard deviation, then (a vector label)
        // the targets and their scalings, then the history.
        LabelScaling = ModelFileGuard.Read(ctx.Reader, LabelScaling.Read);
        LoadVectorLabel(ctx, scaled: true);
        LoadHistory(ctx);
    }

    /// <summary>How the label was standardized for training; scores are mapped back with it.</summary>
    internal LabelScaling LabelScaling { get; }

    /// <inheritdoc/>
    protected override PredictionKind PredictionKind => PredictionKind.Regression;
    private protected override DataViewType OutputType => NumberDataViewType.Single;
    private protected override VersionInfo ModelVersion => GetVersionInfo(vectorLabel: VectorLabel is not null);

    private protected override void SaveExtra(BinaryWriter writer) => LabelScaling.Write(writer);

    // The scorer names [Score]: the network's output mapped back to label units as LabelScaling.ToLabel does.
    private protected override void SaveAsOnnx(OnnxNetworkWriter writer, string[] outputNames, string features)
    {
        Host.Check(outputNames.Length == 1, "The regression scorer exports Score.");
        var standardized = writer.AddNetwork(Network, features);
        var scaled = writer.Variable("ScaledScore", 1);
        writer.Node("Mul", [standardized, writer.Constant(LabelScaling.Scale, "LabelScale")], scaled);
        writer.Node("Add", [scaled, writer.Constant(LabelScaling.Mean, "LabelMean")], outputNames[0]);
    }

    private protected override ValueMapper<VBuffer<float>, float> CreateScoreMapper()
    {
        var predictor = new RowPredictor(Network);
        var scaling = LabelScaling;
        return (in VBuffer<float> features, ref float score) => score = scaling.ToLabel(predictor.Predict(features)[0]);
    }
}
