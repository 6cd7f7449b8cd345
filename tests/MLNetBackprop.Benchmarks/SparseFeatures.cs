namespace MLNetBackprop.Benchmarks;

/// <summary>
/// Featurized rows in compressed sparse row form, as read from an ML.NET Features column: row r's non-zeros are
/// <see cref="Values"/> and <see cref="Indices"/> from <c>RowStarts[r]</c> to <c>RowStarts[r + 1]</c>; one class
/// index (0..K-1) per row in <see cref="Targets"/>.
/// </summary>
internal sealed record SparseFeatures(float[] Values, int[] Indices, int[] RowStarts, int Width, float[] Targets);
