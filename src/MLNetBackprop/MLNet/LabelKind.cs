namespace MLNetBackprop.MLNet;

/// <summary>The label column type each trainer expects.</summary>
internal enum LabelKind
{
    /// <summary>Boolean, for binary classification.</summary>
    Boolean,
    /// <summary>A key (1..K, 0 = missing), for multiclass classification.</summary>
    Key,
    /// <summary>Single, for regression.</summary>
    Single,
}
