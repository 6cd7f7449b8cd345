using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Model;

public class NetworkSerializerTests
{
    // 3 features, the first in two bins: five inputs.
    private static Network EncodedNetwork()
    {
        var encoding = new PiecewiseLinearEncoding(3, [0, 0], [-1f, 0.5f], [0.75f, 2f]);
        var layout = new NetworkLayout(5, [4], 2, ActivationKind.Relu);
        var scaling = new InputScaling(TestData.Uniform(5, -1, 1, 75), TestData.Uniform(5, 0, 2, 76));
        return new Network(layout, TestData.Uniform(layout.ParameterCount, -1, 1, 77), scaling, encoding);
    }

    // A version 3 network of 3 features and 5 inputs without scaling, followed by the encoding fields given.
    private static byte[] EncodedHeader(int featureCount, int binCount, params (int Feature, float Offset, float Factor)[] bins)
    {
        var parameters = new float[new NetworkLayout(5, [4, 2], 2, ActivationKind.Gelu).ParameterCount];
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Header(version: 3, input: 5, parameters: parameters));
            writer.Write(featureCount);
            writer.Write(binCount);
            foreach (var (feature, offset, factor) in bins)
            {
                writer.Write(feature);
                writer.Write(offset);
                writer.Write(factor);
            }
        }
        return stream.ToArray();
    }

    private static Network SampleNetwork(bool scaled = false)
    {
        var layout = new NetworkLayout(3, [4, 2], 2, ActivationKind.Gelu);
        var scaling = scaled ? new InputScaling(TestData.Uniform(3, -1, 1, 73), TestData.Uniform(3, 0, 2, 74)) : null;
        return new Network(layout, TestData.Uniform(layout.ParameterCount, -1, 1, 71), scaling);
    }

    private static byte[] Serialize(Network network)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            NetworkSerializer.Write(writer, network);
        return stream.ToArray();
    }

    private static Network Deserialize(byte[] bytes, bool seekable = true)
    {
        using Stream stream = seekable ? new MemoryStream(bytes) : new ForwardOnlyStream(bytes);
        using var reader = new BinaryReader(stream);
        return NetworkSerializer.Read(reader);
    }

    // The data as Write lays it out, with any field replaceable; from version 2 the scaling flag follows the parameters
    // (0 unless given), then any scaling values.
    private static byte[] Header(int version = 2, int input = 3, int[]? hidden = null, int output = 2, int activation = 5, int? count = null,
        float[]? parameters = null, int scalingFlag = 0, float[]? scaling = null)
    {
        hidden ??= [4, 2];
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(version);
            writer.Write(input);
            writer.Write(hidden.Length);
            foreach (var h in hidden)
                writer.Write(h);
            writer.Write(output);
            writer.Write(activation);
            writer.Write(count ?? parameters?.Length ?? 0);
            foreach (var p in parameters ?? [])
                writer.Write(p);
            if (version >= 2 && parameters is not null)
                writer.Write(scalingFlag);
            foreach (var value in scaling ?? [])
                writer.Write(value);
        }
        return stream.ToArray();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_written_network_reads_back_identically(bool seekable)
    {
        var network = SampleNetwork();
        var copy = Deserialize(Serialize(network), seekable);
        Assert.Equal(network.Layout.InputCount, copy.Layout.InputCount);
        Assert.Equal(network.Layout.HiddenSizes.ToArray(), copy.Layout.HiddenSizes.ToArray());
        Assert.Equal(network.Layout.OutputCount, copy.Layout.OutputCount);
        Assert.Equal(network.Layout.HiddenActivation, copy.Layout.HiddenActivation);
        Assert.Equal(network.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits), copy.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void A_network_with_an_input_scaling_reads_back_with_it()
    {
        var network = SampleNetwork(scaled: true);
        var copy = Deserialize(Serialize(network));
        Assert.Equal(network.Scaling!.Centers.ToArray(), copy.Scaling!.Centers.ToArray());
        Assert.Equal(network.Scaling.Factors.ToArray(), copy.Scaling.Factors.ToArray());
        Assert.Null(Deserialize(Serialize(SampleNetwork())).Scaling);
    }

    [Fact]
    public void A_network_with_a_numeric_encoding_reads_back_with_it_and_one_without_keeps_version_2()
    {
        var network = EncodedNetwork();
        var bytes = Serialize(network);
        Assert.Equal(3, BitConverter.ToInt32(bytes));
        var copy = Deserialize(bytes);
        Assert.Equal(3, copy.FeatureCount);
        Assert.Equal(network.Encoding!.Features.ToArray(), copy.Encoding!.Features.ToArray());
        Assert.Equal(network.Encoding.Offsets.ToArray(), copy.Encoding.Offsets.ToArray());
        Assert.Equal(network.Encoding.Factors.ToArray(), copy.Encoding.Factors.ToArray());
        Assert.Equal(network.Scaling!.Factors.ToArray(), copy.Scaling!.Factors.ToArray());
        Assert.Equal(2, BitConverter.ToInt32(Serialize(SampleNetwork(scaled: true))));
    }

    [Fact]
    public void A_version_1_network_without_the_scaling_flag_still_reads()
    {
        var network = SampleNetwork();
        var copy = Deserialize(Header(version: 1, parameters: network.Parameters.ToArray()));
        Assert.Null(copy.Scaling);
        Assert.Equal(network.Parameters.ToArray(), copy.Parameters.ToArray());
    }

    [Theory]
    [InlineData(50, 60)] // 3,487 parameters: several 1,024-float copy chunks
    [InlineData(1100, 1000)] // 1,101,000: past the first 2²⁰-float allocation of an unseekable read, so it must grow
    public void A_network_bigger_than_the_copy_buffers_round_trips(int inputs, int outputs)
    {
        var layout = new NetworkLayout(inputs, [], outputs, ActivationKind.Relu);
        var network = new Network(layout, TestData.Uniform(layout.ParameterCount, -1, 1, 72));
        var bytes = Serialize(network);
        Assert.Equal(network.Parameters.ToArray(), Deserialize(bytes, seekable: false).Parameters.ToArray());
        Assert.Equal(network.Parameters.ToArray(), Deserialize(bytes, seekable: true).Parameters.ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_truncation_is_reported_as_invalid_data(bool seekable)
    {
        foreach (var bytes in new[] { Serialize(SampleNetwork(scaled: true)), Serialize(EncodedNetwork()) })
            for (var length = 0; length < bytes.Length; length++)
            {
                var error = Assert.Throws<InvalidDataException>(() => Deserialize(bytes[..length], seekable));
                Assert.Contains("truncated", error.Message);
            }
    }

    public static TheoryData<string, byte[]> CorruptHeaders()
    {
        var layout = new NetworkLayout(3, [4, 2], 2, ActivationKind.Gelu);
        var good = new float[layout.ParameterCount];
        var withNaN = (float[])good.Clone();
        withNaN[7] = float.NaN;
        var withInfinity = (float[])good.Clone();
        withInfinity[^1] = float.NegativeInfinity;
        return new TheoryData<string, byte[]>
        {
            { "version 4", Header(version: 4, parameters: good) },
            { "feature count 5 is outside 1..4", EncodedHeader(5, 0) },
            { "bin count 3 is outside 0..2", EncodedHeader(3, 3) },
            { "gives 4 inputs but the network has 5", EncodedHeader(3, 1, (0, 0f, 1f)) },
            { "numeric encoding is invalid", EncodedHeader(3, 2, (0, 0f, 1f), (0, 1f, 0f)) },
            { "numeric encoding is invalid", EncodedHeader(3, 2, (2, 0f, 1f), (0, 1f, 1f)) },
            { "scaling flag is 2", Header(parameters: good, scalingFlag: 2, scaling: new float[6]) },
            { "center of feature 1 is NaN", Header(parameters: good, scalingFlag: 1, scaling: [0, float.NaN, 0, 1, 1, 1]) },
            { "factor of feature 2 is Infinity", Header(parameters: good, scalingFlag: 1, scaling: [0, 0, 0, 1, 1, float.PositiveInfinity]) },
            { "input count 0", Header(input: 0, parameters: good) },
            { "hidden layer count -1", Header(hidden: [], parameters: good) is var b ? Patch(b, 8, -1) : b },
            { "hidden layer 2 size -3", Header(hidden: [4, -3], parameters: good) },
            { "output count 16777217", Header(output: (1 << 24) + 1, parameters: good) },
            { "activation 6", Header(activation: 6, parameters: good) },
            { "parameter count 40", Header(count: 40, parameters: good) },
            { "more than", Header(input: 1 << 24, hidden: [1 << 24], count: int.MaxValue) },
            { "Parameter 7 is NaN", Header(parameters: withNaN) },
            { "Parameter 31 is -Infinity", Header(parameters: withInfinity) },
        };
    }

    private static byte[] Patch(byte[] bytes, int offset, int value)
    {
        BitConverter.GetBytes(value).CopyTo(bytes, offset);
        return bytes;
    }

    [Theory]
    [MemberData(nameof(CorruptHeaders))]
    public void Corrupt_data_is_rejected_with_a_message_naming_the_problem(string problem, byte[] bytes)
    {
        var error = Assert.Throws<InvalidDataException>(() => Deserialize(bytes));
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_huge_consistent_header_on_a_short_unseekable_stream_is_reported_as_truncated()
    {
        // 46,000 × 46,000 weights: a valid shape of about two billion parameters, but no data follows.
        var bytes = Header(input: 46_000, hidden: [], output: 46_000, count: 46_000 * 46_000 + 46_000, parameters: [1f, 2f]);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => Deserialize(bytes, seekable: false));
        Assert.Contains("truncated", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 << 20, "Read allocated for the claimed size");
    }

    [Fact]
    public void The_header_helper_writes_what_Write_writes()
    {
        // Guards the corrupt-header tests: an unmodified header must read back fine.
        var network = SampleNetwork();
        Assert.Equal(Serialize(network), Header(parameters: network.Parameters.ToArray()));
        var scaled = SampleNetwork(scaled: true);
        Assert.Equal(Serialize(scaled), Header(parameters: scaled.Parameters.ToArray(), scalingFlag: 1,
            scaling: [.. scaled.Scaling!.Centers, .. scaled.Scaling.Factors]));
    }

    // A stream that cannot seek, so Read cannot check the remaining length up front.
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        // Hands out at most 3 bytes per call, like a slow network stream.
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 3));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
