using System.Globalization;
using System.Numerics.Tensors;

namespace MLNetBackprop.Engine.Model;

/// <summary>
/// The network's own input preprocessing, fitted on the training rows and saved with the model, so that a model does
/// not depend on whether or how its features were normalized: feature j becomes z / sqrt(1 + (z / 3)²) with
/// z = (x − center_j) · factor_j. Robust scaling (center the median, factor the inverse interquartile range) puts the
/// bulk of each feature near [−1, 1]; the smooth clip bounds outliers near ±3 without a kink (Holzmüller et al. 2024).
/// Every operation is a correctly rounded IEEE operation, so training and prediction compute the same bits.
/// </summary>
internal sealed class InputScaling
{
    /// <summary>Where the smooth clip bends: |z| well below it passes almost unchanged, and the output stays within ±it.</summary>
    public const float ClipBound = 3f;

    /// <summary>1 / <see cref="ClipBound"/>², the factor of z² in the smooth clip.</summary>
    public const float InverseClipBoundSquared = 1f / (ClipBound * ClipBound);
    /// <summary>
    /// Scaled values are clamped to ±it before the smooth clip: beyond it the clip gives ±ClipBound in float anyway,
    /// and z² would overflow to infinity (and z / ∞ to 0).
    /// </summary>
    public const float LargestScaled = 1e9f;

    private readonly float[] _centers;
    private readonly float[] _factors;

    /// <summary>Scaling with one center and factor per feature (the arrays are owned from here on).</summary>
    /// <exception cref="ArgumentException">The arrays differ in length or hold a non-finite value.</exception>
    public InputScaling(float[] centers, float[] factors)
    {
        if (centers.Length != factors.Length)
            throw new ArgumentException($"{centers.Length} centers for {factors.Length} factors.", nameof(factors));
        if (!AllFinite(centers) || !AllFinite(factors))
            throw new ArgumentException("An input scaling's centers and factors must be finite.", nameof(factors));
        _centers = centers;
        _factors = factors;
        IsCentered = centers.AsSpan().IndexOfAnyExcept(0f) >= 0;
    }

    /// <summary>Number of features.</summary>
    public int FeatureCount => _centers.Length;

    /// <summary>Each feature's center (its training median; 0 for sparse rows).</summary>
    public ReadOnlySpan<float> Centers => _centers;

    /// <summary>Each feature's factor (the inverse of its spread; 0 for a constant feature).</summary>
    public ReadOnlySpan<float> Factors => _factors;

    /// <summary>Whether some feature's center is not 0: then a zero input does not stay zero, and sparse rows must be made dense.</summary>
    public bool IsCentered { get; }

    /// <summary>Scales <paramref name="rowCount"/> dense rows in place (row-major, <see cref="FeatureCount"/> values each).</summary>
    public void ApplyDense(Span<float> rows, int rowCount)
    {
        var width = FeatureCount;
        for (var r = 0; r < rowCount; r++)
        {
            var row = rows.Slice(r * width, width);
            TensorPrimitives.Subtract(row, _centers, row);
            TensorPrimitives.Multiply(row, _factors, row);
            SmoothClip(row);
        }
    }

    /// <summary>
    /// Scales the <paramref name="values"/> of a sparse row (or of several rows' concatenated non-zeros) at feature
    /// <paramref name="indices"/> in place; needs an uncentered scaling, under which zeros stay zero.
    /// </summary>
    /// <exception cref="InvalidOperationException">The scaling is centered.</exception>
    public void ApplySparse(ReadOnlySpan<int> indices, Span<float> values)
    {
        if (IsCentered)
            throw new InvalidOperationException("A centered input scaling turns zeros into non-zeros; scale the rows dense.");
        for (var k = 0; k < values.Length; k++)
            values[k] *= _factors[indices[k]];
        SmoothClip(values);
    }

    // z / sqrt(1 + z²/9), through separately rounded operations (no fused multiply-add), identical in every path.
    private static void SmoothClip(Span<float> values)
    {
        TensorPrimitives.Min(values, LargestScaled, values);
        TensorPrimitives.Max(values, -LargestScaled, values);
        Span<float> denominators = stackalloc float[256];
        for (var start = 0; start < values.Length; start += denominators.Length)
        {
            var chunk = values.Slice(start, Math.Min(denominators.Length, values.Length - start));
            var d = denominators[..chunk.Length];
            TensorPrimitives.Multiply(chunk, chunk, d);
            TensorPrimitives.Multiply(d, InverseClipBoundSquared, d);
            TensorPrimitives.Add(d, 1f, d);
            TensorPrimitives.Sqrt(d, d);
            TensorPrimitives.Divide(chunk, d, chunk);
        }
    }

    /// <summary>Writes the centers, then the factors, as little-endian float32 (the count is the network's input count).</summary>
    public void Write(BinaryWriter writer)
    {
        foreach (var center in _centers)
            writer.Write(center);
        foreach (var factor in _factors)
            writer.Write(factor);
    }

    /// <summary>Reads what <see cref="Write"/> wrote for <paramref name="featureCount"/> features.</summary>
    /// <exception cref="InvalidDataException">A value is not finite.</exception>
    public static InputScaling Read(BinaryReader reader, int featureCount)
    {
        var centers = ReadFinite(reader, featureCount, "center");
        var factors = ReadFinite(reader, featureCount, "factor");
        return new InputScaling(centers, factors);
    }

    private static float[] ReadFinite(BinaryReader reader, int count, string what)
    {
        var values = new float[count];
        for (var j = 0; j < count; j++)
        {
            values[j] = reader.ReadSingle();
            if (!float.IsFinite(values[j]))
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"The input scaling's {what} of feature {j} is {values[j]}; it must be finite."));
        }
        return values;
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var value in values)
            if (!float.IsFinite(value))
                return false;
        return true;
    }
}
