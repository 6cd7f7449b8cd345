namespace MLNetBackprop.Cli;

/// <summary>The three learning tasks, as named on the command line.</summary>
internal enum TaskKind
{
    Binary,
    Multiclass,
    Regression,
}
