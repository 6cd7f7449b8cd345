using System.Buffers.Binary;
using System.Globalization;
using MLNetBackprop.Engine.Kernels;

namespace MLNetBackprop.Engine.Model;

/// <summary>
/// Binary persistence of a <see cref="Network"/>: format version, input count, hidden layer count, hidden sizes,
/// output count, hidden activation, parameter count, the parameters, then (from version 2) an int32 that is 1 when an
/// <see cref="InputScaling"/> follows and 0 when not, and (version 3, written only for a network with a
/// <see cref="PiecewiseLinearEncoding"/>) the feature count before encoding and the encoding; all little-endian
/// int32/float32. A network without an encoding is written as version 2, so its bytes do not change; versions 1 (no
/// scaling) and 2 still read. Reading validates every value before it sizes an allocation, since model files may come from anywhere.
/// </summary>
internal static class NetworkSerializer
{
    /// <summary>The format version <see cref="Write"/> produces for a network with a numeric encoding.</summary>
    public const int FormatVersion = 3;

    // The last version without the input scaling flag.
    private const int UnscaledVersion = 1;
    // The last version without the numeric encoding, still written for networks without one.
    private const int UnencodedVersion = 2;
    /// <summary>Largest layer width <see cref="Read"/> accepts.</summary>
    public const int MaxWidth = 1 << 24;
    /// <summary>Largest number of hidden layers <see cref="Read"/> accepts.</summary>
    public const int MaxHiddenLayers = 1 << 12;

    // Parameters are copied through a fixed-size buffer: no per-value calls, no allocation sized by the file.
    private const int ChunkFloats = 1024;

    /// <summary>Writes <paramref name="network"/> to <paramref name="writer"/>.</summary>
    public static void Write(BinaryWriter writer, Network network)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(network);
        var layout = network.Layout;
        writer.Write(network.Encoding is null ? UnencodedVersion : FormatVersion);
        writer.Write(layout.InputCount);
        writer.Write(layout.HiddenSizes.Length);
        foreach (var size in layout.HiddenSizes)
            writer.Write(size);
        writer.Write(layout.OutputCount);
        writer.Write((int)layout.HiddenActivation);
        writer.Write(network.Parameters.Length);
        var bytes = new byte[ChunkFloats * sizeof(float)];
        var parameters = network.Parameters;
        for (var start = 0; start < parameters.Length; start += ChunkFloats)
        {
            var chunk = parameters.Slice(start, Math.Min(ChunkFloats, parameters.Length - start));
            for (var i = 0; i < chunk.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), chunk[i]);
            writer.Write(bytes, 0, chunk.Length * sizeof(float));
        }
        writer.Write(network.Scaling is null ? 0 : 1);
        network.Scaling?.Write(writer);
        if (network.Encoding is { } encoding)
        {
            writer.Write(encoding.FeatureCount);
            encoding.Write(writer);
        }
    }

    /// <summary>Reads a network written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">
    /// The data is truncated, of an unknown version, describes an impossible or oversized shape, or holds a
    /// non-finite parameter.
    /// </exception>
    public static Network Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            return ReadCore(reader);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The network data is truncated.", e);
        }
    }

    private static Network ReadCore(BinaryReader reader)
    {
        var version = reader.ReadInt32();
        if (version is not (UnscaledVersion or UnencodedVersion or FormatVersion))
            throw new InvalidDataException($"Unknown network format version {version}; expected {UnscaledVersion} to {FormatVersion}.");
        var inputCount = ReadWidth(reader, "input count");
        var hiddenCount = reader.ReadInt32();
        if (hiddenCount is < 0 or > MaxHiddenLayers)
            throw new InvalidDataException($"The hidden layer count {hiddenCount} is outside 0..{MaxHiddenLayers}.");
        var hiddenSizes = new int[hiddenCount];
        for (var i = 0; i < hiddenCount; i++)
            hiddenSizes[i] = ReadWidth(reader, $"hidden layer {i + 1} size");
        var outputCount = ReadWidth(reader, "output count");
        var activation = reader.ReadInt32();
        if (!Enum.IsDefined((ActivationKind)activation))
            throw new InvalidDataException($"Unknown hidden activation {activation}.");
        var expected = CountParameters([inputCount, .. hiddenSizes, outputCount]);
        var parameterCount = reader.ReadInt32();
        if (parameterCount != expected)
            throw new InvalidDataException($"The parameter count {parameterCount} does not match the shape, which needs {expected}.");
        var stream = reader.BaseStream;
        var lengthKnown = stream.CanSeek;
        if (lengthKnown && stream.Length - stream.Position < (long)parameterCount * sizeof(float))
            throw new InvalidDataException("The network data is truncated.");

        var layout = new NetworkLayout(inputCount, hiddenSizes, outputCount, (ActivationKind)activation);
        var parameters = ReadParameters(reader, parameterCount, lengthKnown);
        var scaling = version == UnscaledVersion ? null : ReadScaling(reader, inputCount, lengthKnown);
        var encoding = version == FormatVersion ? ReadEncoding(reader, inputCount) : null;
        return new Network(layout, parameters, scaling, encoding);
    }

    private static PiecewiseLinearEncoding ReadEncoding(BinaryReader reader, int inputCount)
    {
        var featureCount = reader.ReadInt32();
        if (featureCount < 1 || featureCount >= inputCount)
            throw new InvalidDataException($"The numeric encoding's feature count {featureCount} is outside 1..{inputCount - 1} (the network has {inputCount} inputs).");
        var encoding = PiecewiseLinearEncoding.Read(reader, featureCount, maxBins: inputCount - featureCount);
        return encoding.EncodedCount == inputCount ? encoding
            : throw new InvalidDataException($"The numeric encoding gives {encoding.EncodedCount} inputs but the network has {inputCount}.");
    }

    private static InputScaling? ReadScaling(BinaryReader reader, int inputCount, bool lengthKnown)
    {
        var flag = reader.ReadInt32();
        if (flag is not (0 or 1))
            throw new InvalidDataException($"The input scaling flag is {flag}; expected 0 or 1.");
        if (flag == 0)
            return null;
        var stream = reader.BaseStream;
        if (lengthKnown && stream.Length - stream.Position < 2L * inputCount * sizeof(float))
            throw new InvalidDataException("The network data is truncated.");
        return InputScaling.Read(reader, inputCount);
    }

    private static int ReadWidth(BinaryReader reader, string what)
    {
        var width = reader.ReadInt32();
        if (width is < 1 or > MaxWidth)
            throw new InvalidDataException($"The {what} {width} is outside 1..{MaxWidth}.");
        return width;
    }

    // Same arithmetic as NetworkLayout, but in long and rejecting instead of overflowing.
    private static int CountParameters(ReadOnlySpan<int> widths)
    {
        long total = 0;
        for (var l = 0; l + 1 < widths.Length; l++)
        {
            total += (long)widths[l] * widths[l + 1] + widths[l + 1];
            if (total > Array.MaxLength)
                throw new InvalidDataException($"The described network has more than {Array.MaxLength} parameters.");
        }
        return (int)total;
    }

    // When the stream's length is unknown, the array grows as data actually arrives, so a corrupt count cannot make
    // Read allocate far more than the stream holds.
    private static float[] ReadParameters(BinaryReader reader, int count, bool lengthKnown)
    {
        var parameters = new float[lengthKnown ? count : Math.Min(count, 1 << 20)];
        Span<byte> bytes = stackalloc byte[ChunkFloats * sizeof(float)];
        for (var start = 0; start < count; start += ChunkFloats)
        {
            var chunkCount = Math.Min(ChunkFloats, count - start);
            if (start + chunkCount > parameters.Length)
                Array.Resize(ref parameters, (int)Math.Min(count, 2L * parameters.Length));
            var chunk = bytes[..(chunkCount * sizeof(float))];
            for (var filled = 0; filled < chunk.Length;)
            {
                var read = reader.Read(chunk[filled..]);
                if (read == 0)
                    throw new InvalidDataException("The network data is truncated.");
                filled += read;
            }
            for (var i = 0; i < chunkCount; i++)
            {
                var value = BinaryPrimitives.ReadSingleLittleEndian(chunk[(i * sizeof(float))..]);
                if (!float.IsFinite(value))
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"Parameter {start + i} is {value}; a network's parameters must be finite."));
                parameters[start + i] = value;
            }
        }
        return parameters;
    }
}
