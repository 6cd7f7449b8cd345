namespace MLNetBackprop.Cli;

/// <summary>The command line's own defaults; the trainer's come from <see cref="MlpOptionsBase.Defaults"/>.</summary>
internal static class CliDefaults
{
    /// <summary>Fraction of the rows held out for evaluation.</summary>
    public const double TestFraction = 0.2;

    /// <summary>Seed of the split and the initialisation.</summary>
    public const int Seed = 1;

    /// <summary>Where <c>train</c> saves the model.</summary>
    public const string ModelPath = "model.zip";
}
