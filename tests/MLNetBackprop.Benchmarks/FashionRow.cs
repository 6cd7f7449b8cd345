using Microsoft.ML.Data;

namespace MLNetBackprop.Benchmarks;

/// <summary>A Fashion-MNIST row for an <c>IDataView</c>: the class as a key (1 to 10) and the 784 pixels.</summary>
internal sealed class FashionRow
{
    /// <summary>The class plus one (key values start at 1; 0 means missing).</summary>
    [KeyType(10)]
    public uint Label { get; set; }

    /// <summary>The pixels, scaled to [0, 1].</summary>
    [VectorType(FashionMnist.Pixels)]
    public float[] Features { get; set; } = [];
}
