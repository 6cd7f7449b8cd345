using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetBackprop;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.MLNet;

[assembly: LoadableClass(typeof(MlpBinaryModelParameters), null, typeof(SignatureLoadModel),
    "MLP binary classifier", MlpBinaryModelParameters.LoaderSignature)]

namespace MLNetBackprop;

/// <summary>
/// A trained MLP binary classifier. Its score is the raw logit of the positive class and its probability is
/// the logistic sigmoid of that score, so ML.NET's binary scorer emits <c>Score</c>, <c>Probability</c> and
/// <c>PredictedLabel</c> (score &gt; 0).
/// </summary>
public sealed class MlpBinaryModelParameters : MlpModelParametersBase<float>, IValueMapperDist
{
    internal const string LoaderSignature = "MlpBinaryPredictor";

    // Loading checks against the vector label's stamp, the newest this code reads.
    private static VersionInfo GetVersionInfo(bool vectorLabel = true) => new(
        modelSignature: "MLPBINRY",
        verWrittenCur: vectorLabel ? VectorLabelVersion : 0x00010003, // 0x00010002: training history after the model; 0x00010003: the network's input scaling; 0x00010004: a vector label (multi-label)
        verReadableCur: vectorLabel ? VectorLabelVersion : 0x00010003,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(MlpBinaryModelParameters).Assembly.FullName);

    internal MlpBinaryModelParameters(IHostEnvironment env, Network network, MlpTrainingRecord? training = null, VectorLabel? vectorLabel = null)
        : base(env, LoaderSignature, network, training)
    {
        VectorLabel = vectorLabel;
    }

    // ML.NET's model loader calls this constructor (found by its signature); it checks the version stamp first.
    private MlpBinaryModelParameters(IHostEnvironment env, ModelLoadContext ctx)
        : base(env, LoaderSignature, CheckedAtModel(ctx, GetVersionInfo()))
    {
        LoadVectorLabel(ctx, scaled: false);
        LoadHistory(ctx);
    }

    /// <inheritdoc/>
    protected override PredictionKind PredictionKind => PredictionKind.BinaryClassification;
    private protected override DataViewType OutputType => NumberDataViewType.Single;
    private protected override VersionInfo ModelVersion => GetVersionInfo(vectorLabel: VectorLabel is not null);
    DataViewType IValueMapperDist.DistType => NumberDataViewType.Single;

    private protected override ValueMapper<VBuffer<float>, float> CreateScoreMapper()
    {
        var predictor = new RowPredictor(Network);
        return (in VBuffer<float> features, ref float score) => score = predictor.Predict(features)[0];
    }

    // The scorer names [PredictedLabel, Score, Probability] and adds PredictedLabel (Score > 0) itself.
    private protected override void SaveAsOnnx(OnnxNetworkWriter writer, string[] outputNames, string features)
    {
        Host.Check(outputNames.Length == 3, "The binary scorer exports PredictedLabel, Score and Probability.");
        var score = writer.AddNetwork(Network, features, outputNames[1]);
        writer.Node("Sigmoid", [score], outputNames[2]);
    }

    ValueMapper<TIn, TOut, TDist> IValueMapperDist.GetMapper<TIn, TOut, TDist>()
    {
        Host.Check(VectorLabel is null, $"This MLP model predicts {VectorLabel?.Count} labels; score it with its transformer (model.Transform).");
        Host.Check(typeof(TIn) == typeof(VBuffer<float>) && typeof(TOut) == typeof(float) && typeof(TDist) == typeof(float),
            "The MLP binary model maps a float feature vector to a float score and probability.");
        var predictor = new RowPredictor(Network);
        ValueMapper<VBuffer<float>, float, float> map = (in VBuffer<float> features, ref float score, ref float probability) =>
        {
            score = predictor.Predict(features)[0];
            probability = OutputLink.Sigmoid(score);
        };
        return (ValueMapper<TIn, TOut, TDist>)(Delegate)map;
    }
}
