using System.Security.Cryptography;
using Microsoft.ML;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>
/// Fixed seeds on the shipped data give the models recorded here, bit for bit: a refactoring that changes any
/// arithmetic (an order of summation, a fused step, a default) changes a hash. Each case covers one task and a
/// different corner of the options (optimizer, schedule, activation, dropout, validation, class weights).
/// The cases on normalized features run under <see cref="MlpPreset.ScikitLearn"/>, whose hashes were recorded before
/// the engine was reorganised and before the model scaled its own inputs: that preset still trains earlier versions'
/// models. The "raw-features" cases train the defaults on features as loaded, numeric encoding included. The products,
/// the encoding and the input scaling are exact on every vector path, so the hashes hold on AVX-512, AVX2 and scalar
/// machines alike.
/// </summary>
public class GoldenModelTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "binary-defaults", "92E6FCED4591178FE259B30DFD9B2B0C" },
        { "binary-sgd-tanh-validation", "CD7A5ACE375608AB49D3AAA10FA6FD7C" },
        { "multiclass-defaults", "7AF2AC378A10EB1C2864A4CFB8070F5D" },
        { "multiclass-rmsprop-plateau-dropout", "43979D0B729442D5BFB3EC043F6B8384" },
        { "multiclass-wide-input", "0895C74A1D5E9F9F2D2FBE70055B54F8" },
        { "regression-defaults", "FA9CFD99FBCAF4915FA448A16C5D3C56" },
        { "regression-adamw-cosine-huber-gelu", "EF23A403B69A1163EFBF08F6016823F6" },
        { "regression-lbfgs-sigmoid", "935DF006A091B8DB03BBBEBE1F2048F2" },
        { "binary-raw-features", "1F18BAE8278A7D22F2B3ECC31032DB5D" },
        { "multiclass-raw-features", "D276E690C3F8B09AAE7F1056055924D5" },
        { "regression-raw-features", "2FADF19F528DD62D0E3DEEDD7A6B57D7" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Training_with_a_fixed_seed_gives_the_recorded_model(string name, string expectedHash)
        => Assert.Equal(expectedHash, ParameterHash(name));

    internal static string ParameterHash(string name) => HashOf(Train(name));

    /// <summary>The parameters case <paramref name="name"/> trains, its options first changed by <paramref name="adjust"/>.</summary>
    internal static float[] Train(string name, Action<MlpOptionsBase> adjust)
    {
        _adjust = adjust;
        try
        {
            return Train(name);
        }
        finally
        {
            _adjust = null;
        }
    }

    [ThreadStatic] private static Action<MlpOptionsBase>? _adjust;

    /// <summary>The first 128 bits of the SHA-256 of the parameters' bytes, as hex.</summary>
    internal static string HashOf(float[] parameters)
    {
        var bytes = new byte[parameters.Length * sizeof(float)];
        Buffer.BlockCopy(parameters, 0, bytes, 0, bytes.Length);
        return Convert.ToHexString(SHA256.HashData(bytes))[..32];
    }

    private static float[] Train(string name)
    {
        var ml = new MLContext(seed: 3);
        return name switch
        {
            "binary-defaults" => Binary(ml, new MlpBinaryTrainer.Options()),
            "binary-sgd-tanh-validation" => Binary(ml, new MlpBinaryTrainer.Options
            {
                HiddenLayerSizes = [24, 12], Activation = MlpActivation.Tanh, Optimizer = MlpOptimizer.Sgd,
                LearningRate = 0.02f, LearningRateSchedule = MlpLearningRateSchedule.StepDecay, LearningRateStepEpochs = 5,
                ValidationFraction = 0.2f, EarlyStoppingMetric = MlpEarlyStoppingMetric.Accuracy, NumberOfEpochs = 30,
                BatchSize = 32, GradientClipNorm = 2f, Seed = 11,
            }),
            "multiclass-defaults" => Multiclass(ml, new MlpMulticlassTrainer.Options { NumberOfEpochs = 20 }),
            "multiclass-rmsprop-plateau-dropout" => Multiclass(ml, new MlpMulticlassTrainer.Options
            {
                HiddenLayerSizes = [48, 24], Activation = MlpActivation.LeakyRelu, Optimizer = MlpOptimizer.RmsProp,
                LearningRateSchedule = MlpLearningRateSchedule.ReduceOnPlateau, PlateauPatience = 2, DropoutRates = [0.1f, 0.2f],
                ValidationFraction = 0.1f, ClassWeighting = MlpClassWeighting.Balanced, NumberOfEpochs = 12, BatchSize = 64,
                Seed = 5,
            }),
            "multiclass-wide-input" => Multiclass(ml, new MlpMulticlassTrainer.Options { NumberOfEpochs = 4, Seed = 4 }, copies: 4),
            "regression-defaults" => Regression(ml, new MlpRegressionTrainer.Options()),
            "regression-adamw-cosine-huber-gelu" => Regression(ml, new MlpRegressionTrainer.Options
            {
                HiddenLayerSizes = [32, 16], Activation = MlpActivation.Gelu, Optimizer = MlpOptimizer.AdamW,
                Loss = MlpRegressionLoss.Huber, LearningRateSchedule = MlpLearningRateSchedule.Cosine, WarmupEpochs = 3,
                LearningRate = 0.005f, NumberOfEpochs = 40, BatchSize = 50, Seed = 9,
            }),
            "regression-lbfgs-sigmoid" => Regression(ml, new MlpRegressionTrainer.Options
            {
                HiddenLayerSizes = [16], Activation = MlpActivation.Sigmoid, Optimizer = MlpOptimizer.Lbfgs,
                NumberOfEpochs = 25, Seed = 2,
            }),
            "binary-raw-features" => Binary(ml, new MlpBinaryTrainer.Options(), raw: true),
            "multiclass-raw-features" => Multiclass(ml, new MlpMulticlassTrainer.Options { NumberOfEpochs = 20 }, raw: true),
            "regression-raw-features" => Regression(ml, new MlpRegressionTrainer.Options(), raw: true),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    // Normalized features train under the ScikitLearn preset (the recorded models); raw ones under the defaults.
    private static IEstimator<ITransformer> Prepare(MlpOptionsBase options, IEstimator<ITransformer> features, IEstimator<ITransformer> normalizer, bool raw)
    {
        if (!raw)
            options.Preset = MlpPreset.ScikitLearn;
        _adjust?.Invoke(options);
        return raw ? features : features.Append(normalizer);
    }

    private static float[] Binary(MLContext ml, MlpBinaryTrainer.Options options, bool raw = false)
    {
        var data = Prepare(options, ShippedData.MalignantAsLabel(ml).Append(ml.Transforms.Concatenate("Features", "Measurements")),
            ml.Transforms.NormalizeMinMax("Features"), raw);
        var prepared = data.Fit(ShippedData.BreastCancer(ml)).Transform(ShippedData.BreastCancer(ml));
        return ml.BinaryClassification.Trainers.Mlp(options).Fit(prepared).Model.Network.Parameters.ToArray();
    }

    // Four copies of the 64 pixels give 256 inputs, the width from which the first layer splits its inputs in two.
    private static float[] Multiclass(MLContext ml, MlpMulticlassTrainer.Options options, int copies = 1, bool raw = false)
    {
        var data = Prepare(options, ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", Enumerable.Repeat("Pixels", copies).ToArray())),
            ml.Transforms.NormalizeMinMax("Features"), raw);
        var prepared = data.Fit(ShippedData.Digits(ml)).Transform(ShippedData.Digits(ml));
        return ml.MulticlassClassification.Trainers.Mlp(options).Fit(prepared).Model.Network.Parameters.ToArray();
    }

    private static float[] Regression(MLContext ml, MlpRegressionTrainer.Options options, bool raw = false)
    {
        var data = Prepare(options, ml.Transforms.Concatenate("Features", "Measurements"),
            ml.Transforms.NormalizeMeanVariance("Features"), raw);
        var prepared = data.Fit(ShippedData.Diabetes(ml)).Transform(ShippedData.Diabetes(ml));
        return ml.Regression.Trainers.Mlp(options).Fit(prepared).Model.Network.Parameters.ToArray();
    }
}
