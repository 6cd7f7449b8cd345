using Microsoft.ML;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>
/// One of the three MLP trainers, with the label column it reads from <see cref="ConformanceRow"/>, so the same
/// conformance checks run against each (the idea of scikit-learn's check_estimator).
/// </summary>
public sealed class TrainerUnderTest
{
    private TrainerUnderTest(string name, string labelColumn, Func<MLContext, IEstimator<ITransformer>> prepareLabel,
        Func<MLContext, Action<MlpOptionsBase>, IEstimator<ITransformer>> createTrainer)
    {
        Name = name;
        LabelColumn = labelColumn;
        _prepareLabel = prepareLabel;
        _createTrainer = createTrainer;
    }

    private readonly Func<MLContext, IEstimator<ITransformer>> _prepareLabel;
    private readonly Func<MLContext, Action<MlpOptionsBase>, IEstimator<ITransformer>> _createTrainer;

    public string Name { get; }
    public string LabelColumn { get; }

    public static TrainerUnderTest Binary { get; } = new("binary", nameof(ConformanceRow.Flag),
        ml => ml.Transforms.CopyColumns("Unused", nameof(ConformanceRow.Target)),
        (ml, configure) => ml.BinaryClassification.Trainers.Mlp(Configured(new MlpBinaryTrainer.Options { LabelColumnName = "Flag" }, configure)));

    public static TrainerUnderTest Multiclass { get; } = new("multiclass", "ClassKey",
        ml => ml.Transforms.Conversion.MapValueToKey("ClassKey", nameof(ConformanceRow.Class)),
        (ml, configure) => ml.MulticlassClassification.Trainers.Mlp(Configured(new MlpMulticlassTrainer.Options { LabelColumnName = "ClassKey" }, configure)));

    public static TrainerUnderTest Regression { get; } = new("regression", nameof(ConformanceRow.Target),
        ml => ml.Transforms.CopyColumns("Unused", nameof(ConformanceRow.Target)),
        (ml, configure) => ml.Regression.Trainers.Mlp(Configured(new MlpRegressionTrainer.Options { LabelColumnName = "Target" }, configure)));

    public static TheoryData<string> Names => new() { "binary", "multiclass", "regression" };

    public static TrainerUnderTest Named(string name) => name switch
    {
        "binary" => Binary,
        "multiclass" => Multiclass,
        _ => Regression,
    };

    /// <summary>Label preparation followed by the trainer, with small, fast options unless <paramref name="configure"/> says otherwise.</summary>
    public IEstimator<ITransformer> Pipeline(MLContext ml, Action<MlpOptionsBase>? configure = null)
        => _prepareLabel(ml).Append(_createTrainer(ml, options =>
        {
            options.HiddenLayerSizes = [8];
            options.NumberOfEpochs = 5;
            options.BatchSize = 16;
            options.LearningRate = 0.01f;
            configure?.Invoke(options);
        }));

    /// <summary>The trainer alone (no label preparation), for schema checks.</summary>
    public IEstimator<ITransformer> Trainer(MLContext ml, Action<MlpOptionsBase>? configure = null)
        => _createTrainer(ml, configure ?? (_ => { }));

    private static T Configured<T>(T options, Action<MlpOptionsBase> configure) where T : MlpOptionsBase
    {
        configure(options);
        return options;
    }

    public override string ToString() => Name;
}
