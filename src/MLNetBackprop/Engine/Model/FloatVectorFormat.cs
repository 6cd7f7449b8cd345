namespace MLNetBackprop.Engine.Model;

/// <summary>
/// A float vector in a checkpoint: its length, then its values. Checkpoints store the parameters, the best epoch's
/// parameters and every optimizer's moment vectors this way; reading checks the length against the vector it fills.
/// </summary>
internal static class FloatVectorFormat
{
    /// <summary>Writes the length of <paramref name="values"/>, then the values.</summary>
    public static void Write(BinaryWriter writer, ReadOnlySpan<float> values)
    {
        writer.Write(values.Length);
        foreach (var v in values)
            writer.Write(v);
    }

    /// <summary>Fills <paramref name="values"/> with what <see cref="Write"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The stored vector has another length.</exception>
    public static void Read(BinaryReader reader, Span<float> values)
    {
        var length = reader.ReadInt32();
        if (length != values.Length)
            throw new InvalidDataException($"The checkpoint holds a vector of {length} values where {values.Length} are expected.");
        for (var i = 0; i < values.Length; i++)
            values[i] = reader.ReadSingle();
    }
}
