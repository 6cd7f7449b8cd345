namespace MLNetBackprop.MLNet;

/// <summary>Which rows of a <see cref="RowSelection"/> a cursor pass yields.</summary>
internal enum RowSide
{
    /// <summary>Every row, each marked held out or not.</summary>
    All,
    /// <summary>The rows not held out.</summary>
    Training,
    /// <summary>The rows held out.</summary>
    Validation,
}
