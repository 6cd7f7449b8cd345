namespace MLNetBackprop;

/// <summary>
/// How the model encodes its numeric features before the first layer, fitted on the training rows and saved with the
/// model (scored, exported to ONNX and reloaded with it).
/// </summary>
public enum MlpNumericEncoding
{
    /// <summary>Each feature is one input of the first layer.</summary>
    None = 0,

    /// <summary>
    /// Piecewise-linear encoding (Gorishniy et al. 2022, "On Embeddings for Numerical Features in Tabular Deep
    /// Learning"): each feature with more than two distinct training values is split at its training quantiles into up
    /// to <see cref="MlpOptionsBase.NumericEncodingBins"/> bins, and each bin adds one input, the feature's position
    /// within the bin (0 below it, 1 above it; the outer bins extend linearly beyond the training range). The first
    /// layer can then respond to thresholds and bumps in a feature, as trees do. The feature itself stays an input too.
    /// Flags, one-hot columns and constants are not encoded. Needs dense rows; the quantiles come from the sample the
    /// input scaling uses.
    /// </summary>
    PiecewiseLinear = 1,
}
