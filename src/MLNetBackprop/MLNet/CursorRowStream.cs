using Microsoft.ML;
using MLNetBackprop.Engine.RowSources;

namespace MLNetBackprop.MLNet;

/// <summary>
/// The rows of an <c>IDataView</c> as the engine's <see cref="IRowStream"/>: every pass opens a cursor over the
/// trainer's columns (<see cref="CursorRowReader"/>), keeps the rows of <see cref="Side"/> of
/// <see cref="Selection"/>, skips the rows ML.NET's trainers skip, checks the rest, keeps this rank's
/// <see cref="Share"/> of them and maps their labels.
/// </summary>
internal sealed record CursorRowStream(IDataView View, RowColumns Columns, string Description) : IRowStream
{
    /// <summary>The validation split the rows are chosen by; null for every row.</summary>
    public RowSelection? Selection { get; init; }

    /// <summary>The side of <see cref="Selection"/> a pass yields.</summary>
    public RowSide Side { get; init; } = RowSide.All;

    /// <summary>The rank whose rows a pass yields, for a cluster; null for every rank's.</summary>
    public RankShare? Share { get; init; }

    /// <summary>What each row's label and weight become.</summary>
    public LabelMap Labels { get; init; } = LabelMap.None;

    /// <inheritdoc/>
    public int FeatureCount => Columns.FeatureCount;

    /// <inheritdoc/>
    public bool HasWeights => Columns.Weight is not null || Labels.GivesWeights;

    /// <inheritdoc/>
    /// <remarks>A rank's share is chosen by the rows' places in the view's order, which a shuffled cursor would change.</remarks>
    public bool CanShuffle => View.CanShuffle && Share is null;

    /// <inheritdoc/>
    public IRowReader Open(int? shuffleSeed) => OpenReader(shuffleSeed);

    /// <summary>Opens a pass as the bridge's reader, which also counts what it skipped.</summary>
    public CursorRowReader OpenReader(int? shuffleSeed = null) => new(this, shuffleSeed);
}
