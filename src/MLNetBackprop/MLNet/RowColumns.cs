using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.MLNet;

/// <summary>The columns a trainer reads: features, label (of <paramref name="Kind"/>) and an optional example weight.</summary>
internal sealed record RowColumns(DataViewSchema.Column Features, DataViewSchema.Column Label, DataViewSchema.Column? Weight, LabelKind Kind)
{
    /// <summary>Number of features per row, from the feature column's type.</summary>
    public int FeatureCount => ((VectorDataViewType)Features.Type).Size;

    /// <summary>Values of a vector label (its known size); 0 for a scalar label.</summary>
    public int LabelSize => Label.Type is VectorDataViewType vector ? vector.Size : 0;

    /// <summary>
    /// Targets per row the engine gets: one for a scalar label, one per value of a vector of float, and a label and a
    /// weight per value of a vector of Boolean (multi-label).
    /// </summary>
    public int TargetWidth => LabelSize == 0 ? 1 : Kind == LabelKind.Boolean ? 2 * LabelSize : LabelSize;

    /// <summary>The columns a cursor must make active.</summary>
    public DataViewSchema.Column[] Active => Weight is { } weight ? [Features, Label, weight] : [Features, Label];
}
