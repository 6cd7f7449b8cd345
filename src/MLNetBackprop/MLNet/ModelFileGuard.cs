namespace MLNetBackprop.MLNet;

/// <summary>Turns any failure while reading a model stream into one clear <see cref="InvalidDataException"/>.</summary>
internal static class ModelFileGuard
{
    public static T Read<T>(BinaryReader reader, Func<BinaryReader, T> read)
    {
        try
        {
            return read(reader);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"The MLP model in this file is damaged and cannot be loaded: {ex.Message}", ex);
        }
    }
}
