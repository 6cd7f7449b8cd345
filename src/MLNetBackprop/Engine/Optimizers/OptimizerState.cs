namespace MLNetBackprop.Engine.Optimizers;

/// <summary>Reading and writing optimizer moment vectors in checkpoints.</summary>
internal static class OptimizerState
{
    public static void Write(BinaryWriter writer, ReadOnlySpan<float> values)
    {
        writer.Write(values.Length);
        foreach (var v in values)
            writer.Write(v);
    }

    public static void Read(BinaryReader reader, Span<float> values)
    {
        var length = reader.ReadInt32();
        if (length != values.Length)
            throw new InvalidDataException($"The checkpoint holds optimizer state for {length} parameters, not {values.Length}.");
        for (var i = 0; i < values.Length; i++)
            values[i] = reader.ReadSingle();
    }
}
