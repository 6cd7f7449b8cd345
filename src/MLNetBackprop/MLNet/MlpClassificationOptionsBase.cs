namespace MLNetBackprop;

/// <summary>Options of the classification trainers: those of <see cref="MlpOptionsBase"/> plus class weights.</summary>
public abstract class MlpClassificationOptionsBase : MlpOptionsBase
{
    /// <summary>
    /// Automatic class weights: <see cref="MlpClassWeighting.Balanced"/> weighs each class inversely to its frequency
    /// in the training rows, for skewed classes. Default <see cref="MlpClassWeighting.None"/>. Cannot be combined with
    /// <see cref="ClassWeights"/>.
    /// </summary>
    public MlpClassWeighting ClassWeighting { get; set; } = Defaults.ClassWeighting;

    /// <summary>
    /// Explicit weight of each class, multiplied into the example weights of the training rows (not the validation
    /// rows): binary <c>[weight of false, weight of true]</c>, multiclass one per key value in key order. Each finite
    /// and in [0, 1e6], at least one above 0. Default <c>null</c> (all 1).
    /// </summary>
    public float[]? ClassWeights { get; set; }
}
