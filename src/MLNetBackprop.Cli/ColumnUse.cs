namespace MLNetBackprop.Cli;

/// <summary>What <c>train</c> does with a column of the data file.</summary>
internal enum ColumnUse
{
    /// <summary>The column to predict.</summary>
    Label,
    /// <summary>A number; missing values are replaced by the training mean, with an indicator feature.</summary>
    Numeric,
    /// <summary>A date or date-time, split into numeric parts.</summary>
    Date,
    /// <summary>A string with few distinct values, one-hot encoded.</summary>
    Categorical,
    /// <summary>Free text (long strings, many distinct values), through FeaturizeText.</summary>
    Text,
    /// <summary>A distinct value in every row: an identifier, left out.</summary>
    Id,
    /// <summary>One value (or none) in every row: nothing to learn from, left out.</summary>
    Constant,
    /// <summary>Left out by <c>--ignore</c>.</summary>
    Ignored,
}
