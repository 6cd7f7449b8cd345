namespace MLNetBackprop.Benchmarks;

/// <summary>What a tabular data set's label asks for, as bench/tabular-data.sh's manifest names it.</summary>
internal enum TabularTask
{
    Regression,
    Binary,
    Multiclass,
}
