namespace MLNetBackprop.Engine.Training;

/// <summary>Which phase of a run an epoch belongs to.</summary>
internal enum TrainingPhase
{
    /// <summary>Training on the training rows, with a validation set when there is one.</summary>
    Main,
    /// <summary>The second phase on every row, held-out ones included (<see cref="TrainingRunOptions.AllRows"/>).</summary>
    AllRows,
}
