namespace MLNetBackprop;

/// <summary>
/// Which defaults the automatic options (those left <c>null</c>) take; an option given a value keeps it under either.
/// </summary>
public enum MlpPreset
{
    /// <summary>
    /// This library's defaults for tables: the model encodes and scales its own inputs
    /// (<see cref="MlpNumericEncoding.PiecewiseLinear"/> and <see cref="MlpInputScaling.Robust"/> for dense rows), so the
    /// features need no normalizer in the pipeline. The default.
    /// </summary>
    Default = 0,

    /// <summary>
    /// scikit-learn's <c>MLPClassifier</c> and <c>MLPRegressor</c> defaults, as this library's defaults were before the
    /// model scaled and encoded its own inputs: the features enter the network as they are, so normalize them first. With the same
    /// seed and data it trains the models earlier versions trained, bit for bit.
    /// </summary>
    ScikitLearn = 1,
}
