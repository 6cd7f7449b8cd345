namespace MLNetBackprop.Cli;

/// <summary>The command line's own defaults and thresholds; the trainer's come from <see cref="MlpOptionsBase.Defaults"/>.</summary>
internal static class CliDefaults
{
    /// <summary>Fraction of the rows held out for evaluation.</summary>
    public const double TestFraction = 0.2;

    /// <summary>Seed of the split and the initialisation.</summary>
    public const int Seed = 1;

    /// <summary>Where <c>train</c> saves the model.</summary>
    public const string ModelPath = "model.zip";

    /// <summary>Appended to the model path to name the checkpoint kept while training (so Ctrl+C can resume).</summary>
    public const string CheckpointSuffix = ".checkpoint";

    /// <summary>An integer label with at most this many distinct values (each seen often enough) means multiclass.</summary>
    public const int MaxInferredClasses = 20;

    /// <summary>The fewest rows each value of an integer label needs for the label to count as classes.</summary>
    public const int MinRowsPerInferredClass = 5;

    /// <summary>Share of a column's non-missing cells that must be numbers for it to be numeric (the others are errors).</summary>
    public const double NumericShare = 0.9;

    /// <summary>A string column with more distinct values than this is free text, not one-hot encoded.</summary>
    public const int MaxCategories = 100;

    /// <summary>A string column whose values average at least this many words is free text.</summary>
    public const double TextMinimumWords = 3;

    /// <summary>The fewest rows for a column distinct in every row to count as an identifier.</summary>
    public const int IdMinimumRows = 10;

    /// <summary>The leak check warns when one feature alone explains the label at least this well (|correlation| or purity).</summary>
    public const double LeakThreshold = 0.99;

    /// <summary>
    /// A test R² above this gets a warning: real data is rarely this predictable, and a leak through several columns
    /// together (parts of a total) is the likelier story.
    /// </summary>
    public const double NearPerfectRSquared = 0.999;

    /// <summary>The fewest labelled rows for the leak check to judge a feature.</summary>
    public const int LeakMinimumRows = 30;

    /// <summary>Most bad cells an error lists (it gives the total too).</summary>
    public const int MaxListedCells = 5;
}
