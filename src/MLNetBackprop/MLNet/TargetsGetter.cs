namespace MLNetBackprop.MLNet;

/// <summary>Writes the current row's targets into <paramref name="targets"/>; false when the row has no label value.</summary>
internal delegate bool TargetsGetter(Span<float> targets);
