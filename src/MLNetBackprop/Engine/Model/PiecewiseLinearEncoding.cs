using System.Globalization;
using System.Numerics.Tensors;

namespace MLNetBackprop.Engine.Model;

/// <summary>
/// Piecewise-linear encoding of numeric features (Gorishniy et al. 2022, "On Embeddings for Numerical Features in
/// Tabular Deep Learning"), fitted on the training rows and saved with the model. The training quantiles of an encoded
/// feature split its range into bins; bin t of feature j adds the input (x_j − e_t) · f_t, clamped to [0, 1] except
/// below the first bin and above the last, so a value outside the training range extrapolates linearly. A row of
/// <see cref="FeatureCount"/> features becomes the row itself followed by every bin's input: the first layer can then
/// learn a different slope in each bin, a threshold or a bump, as trees do, at the cost of one input per bin.
/// Every operation is a correctly rounded IEEE operation, so training, prediction and ONNX compute the same bits.
/// </summary>
internal sealed class PiecewiseLinearEncoding
{
    private readonly int[] _features;
    private readonly float[] _offsets;
    private readonly float[] _factors;
    private readonly float[] _lower;
    private readonly float[] _upper;

    /// <summary>
    /// An encoding of <paramref name="featureCount"/> features with one bin per entry of <paramref name="features"/>,
    /// the bin's <paramref name="offsets"/> and <paramref name="factors"/> (the arrays are owned from here on). A
    /// feature's bins are consecutive, in increasing order of their edges.
    /// </summary>
    /// <exception cref="ArgumentException">A bin names a feature out of range or out of order, or holds a value that is not finite or a factor that is not positive.</exception>
    public PiecewiseLinearEncoding(int featureCount, int[] features, float[] offsets, float[] factors)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        if (features.Length != offsets.Length || features.Length != factors.Length)
            throw new ArgumentException($"{features.Length} bin features, {offsets.Length} offsets and {factors.Length} factors.", nameof(factors));
        for (var k = 0; k < features.Length; k++)
        {
            if (features[k] < 0 || features[k] >= featureCount || (k > 0 && features[k] < features[k - 1]))
                throw new ArgumentException($"Bin {k} encodes feature {features[k]}: features must lie in 0..{featureCount - 1}, in increasing order.", nameof(features));
            if (!float.IsFinite(offsets[k]) || !float.IsFinite(factors[k]) || !(factors[k] > 0))
                throw new ArgumentException($"Bin {k} has offset {offsets[k]} and factor {factors[k]}: both must be finite and the factor positive.", nameof(factors));
        }
        FeatureCount = featureCount;
        _features = features;
        _offsets = offsets;
        _factors = factors;
        (_lower, _upper) = Bounds(features);
    }

    /// <summary>Number of features a row has before encoding.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of bins, each one more input of the first layer.</summary>
    public int BinCount => _features.Length;

    /// <summary>Number of values of an encoded row: the features, then one per bin.</summary>
    public int EncodedCount => FeatureCount + BinCount;

    /// <summary>The feature each bin encodes, in increasing order.</summary>
    public ReadOnlySpan<int> Features => _features;

    /// <summary>Each bin's lower edge e_t.</summary>
    public ReadOnlySpan<float> Offsets => _offsets;

    /// <summary>Each bin's factor f_t, the inverse of its width.</summary>
    public ReadOnlySpan<float> Factors => _factors;

    /// <summary>Each bin's lowest value: 0, or −∞ for a feature's first bin.</summary>
    public ReadOnlySpan<float> LowerBounds => _lower;

    /// <summary>Each bin's highest value: 1, or +∞ for a feature's last bin.</summary>
    public ReadOnlySpan<float> UpperBounds => _upper;

    /// <summary>
    /// Encodes <paramref name="rowCount"/> rows of <paramref name="rows"/> (row-major, <see cref="FeatureCount"/>
    /// values each) into <paramref name="encoded"/> (row-major, <see cref="EncodedCount"/> values each).
    /// </summary>
    public void Apply(ReadOnlySpan<float> rows, Span<float> encoded, int rowCount)
    {
        for (var r = 0; r < rowCount; r++)
        {
            var row = rows.Slice(r * FeatureCount, FeatureCount);
            var output = encoded.Slice(r * EncodedCount, EncodedCount);
            row.CopyTo(output);
            var bins = output[FeatureCount..];
            for (var k = 0; k < bins.Length; k++)
                bins[k] = row[_features[k]];
            EncodeBins(bins, bins);
        }
    }

    /// <summary>
    /// Computes the bins' inputs from <paramref name="values"/>, the value of each bin's feature, into
    /// <paramref name="bins"/> (which may be the same span).
    /// </summary>
    public void EncodeBins(ReadOnlySpan<float> values, Span<float> bins)
    {
        TensorPrimitives.Subtract(values, _offsets, bins);
        TensorPrimitives.Multiply(bins, _factors, bins);
        TensorPrimitives.Max(bins, _lower, bins);
        TensorPrimitives.Min(bins, _upper, bins);
    }

    /// <summary>
    /// Computes bin <paramref name="bin"/>'s input for each of <paramref name="values"/> (values of its feature) into
    /// <paramref name="output"/>, with the operations of <see cref="EncodeBins"/>.
    /// </summary>
    public void EncodeBin(int bin, ReadOnlySpan<float> values, Span<float> output)
    {
        TensorPrimitives.Subtract(values, _offsets[bin], output);
        TensorPrimitives.Multiply(output, _factors[bin], output);
        TensorPrimitives.Max(output, _lower[bin], output);
        TensorPrimitives.Min(output, _upper[bin], output);
    }

    /// <summary>Writes the bin count, then each bin's feature (int32), offset and factor (float32), little-endian.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(BinCount);
        for (var k = 0; k < BinCount; k++)
        {
            writer.Write(_features[k]);
            writer.Write(_offsets[k]);
            writer.Write(_factors[k]);
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote for <paramref name="featureCount"/> features and at most <paramref name="maxBins"/> bins.</summary>
    /// <exception cref="InvalidDataException">The bin count is out of range, or a bin is invalid.</exception>
    public static PiecewiseLinearEncoding Read(BinaryReader reader, int featureCount, int maxBins)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > maxBins)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The numeric encoding's bin count {count} is outside 0..{maxBins}."));
        var features = new int[count];
        var offsets = new float[count];
        var factors = new float[count];
        for (var k = 0; k < count; k++)
        {
            features[k] = reader.ReadInt32();
            offsets[k] = reader.ReadSingle();
            factors[k] = reader.ReadSingle();
        }
        try
        {
            return new PiecewiseLinearEncoding(featureCount, features, offsets, factors);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The numeric encoding is invalid: {e.Message}", e);
        }
    }

    // A feature's first bin extends down and its last up without bound; every other bin is clamped to [0, 1].
    private static (float[] Lower, float[] Upper) Bounds(int[] features)
    {
        var lower = new float[features.Length];
        var upper = new float[features.Length];
        for (var k = 0; k < features.Length; k++)
        {
            lower[k] = k == 0 || features[k - 1] != features[k] ? float.NegativeInfinity : 0f;
            upper[k] = k == features.Length - 1 || features[k + 1] != features[k] ? float.PositiveInfinity : 1f;
        }
        return (lower, upper);
    }
}
