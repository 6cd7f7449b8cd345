using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.MLNet;

/// <summary>The columns a trainer reads: features, label (of <paramref name="Kind"/>) and an optional example weight.</summary>
internal sealed record RowColumns(DataViewSchema.Column Features, DataViewSchema.Column Label, DataViewSchema.Column? Weight, LabelKind Kind)
{
    /// <summary>Number of features per row, from the feature column's type.</summary>
    public int FeatureCount => ((VectorDataViewType)Features.Type).Size;

    /// <summary>The columns a cursor must make active.</summary>
    public DataViewSchema.Column[] Active => Weight is { } weight ? [Features, Label, weight] : [Features, Label];
}
