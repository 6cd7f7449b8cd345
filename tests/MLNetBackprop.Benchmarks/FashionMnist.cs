using System.IO.Compression;
using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.Benchmarks;

/// <summary>Reads the Fashion-MNIST IDX files (gzip) into float features scaled to [0, 1] and class targets.</summary>
internal static class FashionMnist
{
    public const int Pixels = 28 * 28;

    public static (float[] Features, float[] Targets) Load(string directory, string prefix)
    {
        var images = ReadIdx(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"));
        var labels = ReadIdx(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"));
        // Allocated as the ML.NET trainers' data reader allocates training features (huge pages where offered).
        var features = RowStoreAllocator.Allocate(images.Length);
        for (var i = 0; i < images.Length; i++)
            features[i] = images[i] / 255f;
        var targets = new float[labels.Length];
        for (var i = 0; i < labels.Length; i++)
            targets[i] = labels[i];
        return (features, targets);
    }

    // IDX: magic (2 zero bytes, type, rank), big-endian dimensions, then the bytes.
    private static byte[] ReadIdx(string path)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new BinaryReader(stream);
        var magic = reader.ReadBytes(4);
        var count = 1;
        for (var d = 0; d < magic[3]; d++)
        {
            var size = reader.ReadBytes(4);
            count *= (size[0] << 24) | (size[1] << 16) | (size[2] << 8) | size[3];
        }
        return reader.ReadBytes(count);
    }
}
