using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Optimizers;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// The parameters a lazy update (<see cref="SparseUpdate.Lazy"/>) of a sparse batch changes: the first layer's weight
/// rows of the features the batch uses, then everything from the first layer's biases on. Adjacent rows form one range.
/// The gradient of the k-th feature's row lies at row k of the first layer's gradient (the batch workspace stores it
/// compactly, <see cref="BatchWorkspace.CompactFirstLayerGradient"/>).
/// </summary>
internal sealed class LazyUpdateRegion(NetworkLayout layout)
{
    private ParameterRange[] _ranges = new ParameterRange[1];
    private int _rangeCount;

    /// <summary>The parameter ranges updated, in increasing order.</summary>
    public ReadOnlySpan<ParameterRange> Ranges => _ranges.AsSpan(0, _rangeCount);

    /// <summary>The ranges of first-layer weight rows: all of <see cref="Ranges"/> but the last.</summary>
    public ReadOnlySpan<ParameterRange> FirstLayerRanges => _ranges.AsSpan(0, _rangeCount - 1);

    /// <summary>Sets the region for a batch whose distinct features are <paramref name="features"/> (increasing).</summary>
    public LazyUpdateRegion For(ReadOnlySpan<int> features)
    {
        if (_ranges.Length < features.Length + 1)
            _ranges = new ParameterRange[Math.Max(features.Length + 1, 2 * _ranges.Length)];
        var width = layout.Widths[1];
        var count = 0;
        for (var k = 0; k < features.Length; k++)
        {
            var start = layout.WeightOffsets[0] + features[k] * width;
            // Consecutive features have consecutive compact gradient rows too, so one range covers both.
            if (count > 0 && _ranges[count - 1].Start + _ranges[count - 1].Length == start)
                _ranges[count - 1] = _ranges[count - 1] with { Length = _ranges[count - 1].Length + width };
            else
                _ranges[count++] = new ParameterRange(start, width) { GradientStart = layout.WeightOffsets[0] + k * width };
        }
        var rest = layout.BiasOffsets[0];
        _ranges[count++] = new ParameterRange(rest, layout.ParameterCount - rest);
        _rangeCount = count;
        return this;
    }
}
