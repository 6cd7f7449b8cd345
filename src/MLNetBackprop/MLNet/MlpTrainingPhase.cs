namespace MLNetBackprop;

/// <summary>Which phase of training an epoch belongs to (<see cref="MlpEpochReport.Phase"/>).</summary>
public enum MlpTrainingPhase
{
    /// <summary>Training on the training rows, validated every epoch when there is a validation set. The default.</summary>
    Main = 0,

    /// <summary>
    /// Training on every row, the held-out validation rows included, once the validation set has picked the best epoch
    /// (see <see cref="MlpOptionsBase.TrainOnHeldOutRows"/>).
    /// </summary>
    AllRows = 1,
}
