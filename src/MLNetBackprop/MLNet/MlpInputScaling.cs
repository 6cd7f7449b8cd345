namespace MLNetBackprop;

/// <summary>
/// The model's own preprocessing of its features, fitted on the training rows and saved with the model, so that it
/// scores raw features as it was trained on them and does not depend on whether or how they were normalized.
/// </summary>
public enum MlpInputScaling
{
    /// <summary>The features enter the first layer as they are: normalize them in the pipeline.</summary>
    None = 0,

    /// <summary>
    /// Robust scaling with smooth clipping (Holzmüller et al. 2024): each feature is centered on its training median and
    /// divided by its interquartile range (by half its range where that is 0; a constant feature becomes 0), then
    /// z becomes z / sqrt(1 + (z / 3)²), which keeps typical values and bounds outliers within ±3. Sparse rows are
    /// not centered, so that they stay sparse. The statistics come from up to 4,096 evenly spaced training rows, read in
    /// a pass of their own before the first epoch (streamed rows: one more pass over the data). On a cluster every rank
    /// takes rank 0's.
    /// </summary>
    Robust = 1,
}
