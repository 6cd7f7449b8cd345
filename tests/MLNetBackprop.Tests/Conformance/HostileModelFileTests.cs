using System.Diagnostics;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetBackprop.Tests.TestSupport;
using Xunit.Abstractions;

namespace MLNetBackprop.Tests.Conformance;

/// <summary>
/// Mutation fuzzing of real saved models: truncated, bit-flipped and overwritten copies of the MLP's entry in
/// model.zip must load cleanly or fail with an ordinary exception, never crash, hang or allocate without bound.
/// Seeded, with a fixed number of cases (each bounded in time, so a hang fails); a longer run:
/// <c>MLP_FUZZ_CASES=100000 dotnet test tests/MLNetBackprop.Tests --filter HostileModelFile</c>.
/// </summary>
public class HostileModelFileTests(ITestOutputHelper output)
{
    private const int DefaultCasesPerModel = 1000;
    private static readonly TimeSpan MaxTimePerCase = TimeSpan.FromSeconds(10);
    private const long MaxAllocatedBytesPerCase = 64L << 20;

    // Exceptions a damaged file may legitimately produce, at the root of ML.NET's wrapping.
    private static readonly Type[] CleanFailures =
    [
        typeof(InvalidDataException), typeof(FormatException), typeof(InvalidOperationException),
        typeof(ArgumentException), typeof(ArgumentOutOfRangeException), typeof(EndOfStreamException),
        typeof(IOException), typeof(NotSupportedException),
    ];

    [Theory]
    [MemberData(nameof(TrainerUnderTest.Names), MemberType = typeof(TrainerUnderTest))]
    public void Mutated_model_files_load_or_fail_cleanly(string name)
    {
        var ml = new MLContext(seed: 1);
        var data = ConformanceRow.View(ml, ConformanceRow.Generate(60, 3, 1), 3);
        var model = TrainerUnderTest.Named(name).Pipeline(ml, o => o.HiddenLayerSizes = [6, 4]).Fit(data);
        AssertMutatedCopiesLoadOrFailCleanly(name, ml, model, data);
    }

    [Theory]
    [InlineData("multi-output regression")]
    [InlineData("multi-label")]
    public void Mutated_vector_label_model_files_load_or_fail_cleanly(string name)
    {
        var ml = new MLContext(seed: 1);
        var data = VectorLabelRows.View(ml, count: 60);
        ITransformer model = name == "multi-label"
            ? VectorLabelRows.TagLabel(ml).Append(ml.BinaryClassification.Trainers.Mlp(hiddenLayerSizes: [6, 4], numberOfEpochs: 3)).Fit(data)
            : VectorLabelRows.RegressionLabel(ml).Append(ml.Regression.Trainers.Mlp(hiddenLayerSizes: [6, 4], numberOfEpochs: 3)).Fit(data);
        AssertMutatedCopiesLoadOrFailCleanly(name, ml, model, data);
    }

    private void AssertMutatedCopiesLoadOrFailCleanly(string name, MLContext ml, ITransformer model, IDataView data)
    {
        var original = Save(ml, model, data);
        var entryName = FindMlpEntry(original);
        var payload = ReadEntry(original, entryName);
        var network = NetworkRegion(model);

        var cases = int.TryParse(Environment.GetEnvironmentVariable("MLP_FUZZ_CASES"), out var n) ? n : DefaultCasesPerModel;
        var random = new Random(12345);
        var clock = Stopwatch.StartNew();
        var outcomes = new Dictionary<string, int>();
        var run = 0;
        for (; run < cases; run++)
        {
            var mutated = ReplaceEntry(original, entryName, Mutate(payload, network, random));
            var outcome = LoadAndScore(mutated, data, run);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine($"{name}: {run} mutated files in {clock.Elapsed.TotalSeconds:F1} s; outcomes: " +
            string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}")));
        Assert.True(outcomes.Keys.Any(k => k != "loaded"), "no mutation was rejected: the fuzzer is not reaching the model");
    }

    // A text pipeline's size: 420,000 features × 24 hidden units ≈ 10M weights, a 40 MB model.
    private const int WideInputWidth = 420_000;

    private sealed class WideRow
    {
        public VBuffer<float> Features { get; set; }
        public bool Label { get; set; }
    }

    private static IDataView WideSparseRows(MLContext ml)
    {
        var random = new Random(7);
        var rows = Enumerable.Range(0, 300).Select(r =>
        {
            var indices = Enumerable.Range(0, 40).Select(_ => random.Next(WideInputWidth)).Distinct().Order().ToArray();
            var values = indices.Select(_ => 0.5f + (float)random.NextDouble()).ToArray();
            return new WideRow { Features = new VBuffer<float>(WideInputWidth, indices.Length, values, indices), Label = r % 3 == 0 };
        }).ToList();
        var schema = SchemaDefinition.Create(typeof(WideRow));
        schema[nameof(WideRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, WideInputWidth);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    [Fact]
    public void A_40_MB_model_of_a_wide_sparse_input_round_trips_and_its_damaged_copies_load_or_fail_cleanly()
    {
        var ml = new MLContext(seed: 1);
        var data = WideSparseRows(ml);
        var model = ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options { HiddenLayerSizes = [24], NumberOfEpochs = 2 }).Fit(data);
        var original = Save(ml, model, data);
        var entryName = FindMlpEntry(original);
        var payload = ReadEntry(original, entryName);
        Assert.True(payload.Length > 40_000_000, $"the model entry has {payload.Length} bytes; the test needs a 40 MB model");
        using (var stream = new MemoryStream(original, writable: false))
            Assert.Equal(model.Transform(data).GetColumn<float>("Score"), ml.Model.Load(stream, out _).Transform(data).GetColumn<float>("Score"));

        // Truncations through the header, the sizes and the parameters, and hostile values in every size field.
        var (start, length) = NetworkRegion(model).GetOffsetAndLength(payload.Length);
        var damaged = new List<byte[]>();
        foreach (var cut in new[] { 100, start + 6, start + 30, start + length / 2, payload.Length - 1 })
            damaged.Add(payload[..cut]);
        for (var field = 0; field < 7; field++)
            foreach (var hostile in new[] { -1, int.MaxValue, 1 << 30, 0 })
            {
                var copy = (byte[])payload.Clone();
                BitConverter.TryWriteBytes(copy.AsSpan(start + 4 * field), hostile);
                damaged.Add(copy);
            }
        var outcomes = damaged.Select((bytes, i) => LoadAndScore(ReplaceEntry(original, entryName, bytes), data, i,
            maxAllocatedBytes: 3L * payload.Length)).ToList();
        output.WriteLine($"wide model: {payload.Length >> 20} MB; outcomes: {string.Join(", ", outcomes.GroupBy(o => o).Select(g => $"{g.Key} {g.Count()}"))}");
        Assert.True(outcomes.Count(o => o != "loaded") >= damaged.Count - 7, "most damaged copies must be rejected");
    }

    private static string LoadAndScore(byte[] file, IDataView data, int run, long maxAllocatedBytes = MaxAllocatedBytesPerCase)
    {
        var ml = new MLContext(seed: 1);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.StartNew();
        string outcome;
        try
        {
            using var stream = new MemoryStream(file, writable: false);
            var loaded = ml.Model.Load(stream, out _);
            loaded.Transform(data).Preview(maxRows: 5);
            outcome = "loaded";
        }
        catch (Exception ex)
        {
            var root = RootCause(ex);
            Assert.True(CleanFailures.Any(t => t.IsInstanceOfType(root)),
                $"case {run}: loading a damaged model failed with {root.GetType().Name}: {root.Message}\n{ex}");
            Assert.False(string.IsNullOrWhiteSpace(root.Message), $"case {run}: an error without a message");
            outcome = root.GetType().Name;
        }
        Assert.True(started.Elapsed < MaxTimePerCase, $"case {run}: loading took {started.Elapsed}");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(allocated < maxAllocatedBytes, $"case {run}: loading allocated {allocated >> 20} MB");
        return outcome;
    }

    private static Exception RootCause(Exception ex)
    {
        // ML.NET wraps loader failures (TargetInvocationException inside "Error during class instantiation").
        while (ex.InnerException is { } inner && ex is System.Reflection.TargetInvocationException or InvalidOperationException)
            ex = inner;
        return ex;
    }

    // ML.NET's model header takes the first 256 bytes of the entry; the serialized network follows it.
    private const int ModelHeaderSize = 256;

    /// <summary>Where the serialized network lies in the entry: the header, then sizes and the parameters.</summary>
    private static Range NetworkRegion(ITransformer model)
    {
        var last = model is IEnumerable<ITransformer> chain ? chain.Last() : model;
        var predictor = ((IPredictionTransformer<object>)last).Model;
        var widths = (IReadOnlyList<int>)predictor.GetType().GetProperty("LayerSizes")!.GetValue(predictor)!;
        var parameters = widths.Zip(widths.Skip(1), (fanIn, fanOut) => fanIn * fanOut + fanOut).Sum();
        return new Range(ModelHeaderSize, ModelHeaderSize + 4 * (widths.Count + 6 + parameters));
    }

    // Half the mutations land in the serialized network (our reader), half anywhere (ML.NET's header and tables too).
    private static byte[] Mutate(byte[] payload, Range network, Random random)
    {
        var copy = (byte[])payload.Clone();
        var (regionStart, regionLength) = network.GetOffsetAndLength(copy.Length);
        int Position() => random.Next(2) == 0 ? regionStart + random.Next(regionLength) : random.Next(copy.Length);
        switch (random.Next(4))
        {
            case 0: // truncation
                return copy[..Position()];
            case 1: // a few flipped bits
                for (var i = random.Next(1, 9); i > 0; i--)
                    copy[Position()] ^= (byte)(1 << random.Next(8));
                return copy;
            case 2: // a 32-bit field overwritten with a hostile value (huge counts, negatives, NaN bits)
                int[] hostile = [0, -1, 1, int.MaxValue, int.MinValue, 1 << 24, 1 << 30, 0x7FC00000, random.Next()];
                var at = Math.Min(Position() & ~3, copy.Length - 4);
                BitConverter.TryWriteBytes(copy.AsSpan(at), hostile[random.Next(hostile.Length)]);
                return copy;
            default: // a run of random bytes
                var start = Position();
                random.NextBytes(copy.AsSpan(start, Math.Min(copy.Length - start, random.Next(1, 64))));
                return copy;
        }
    }

    private static byte[] Save(MLContext ml, ITransformer model, IDataView data)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        return stream.ToArray();
    }

    // The MLP's model parameters are the "Model/Model.key" entry of the last transformer.
    private static string FindMlpEntry(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.Select(e => e.FullName).Where(n => n.EndsWith("/Model/Model.key", StringComparison.Ordinal)).OrderBy(n => n).Last();
    }

    private static byte[] ReadEntry(byte[] zip, string entryName)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        using var entry = archive.GetEntry(entryName)!.Open();
        using var copy = new MemoryStream();
        entry.CopyTo(copy);
        return copy.ToArray();
    }

    private static byte[] ReplaceEntry(byte[] zip, string entryName, byte[] content)
    {
        using var result = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
        using (var target = new ZipArchive(result, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var to = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                if (entry.FullName == entryName)
                    to.Write(content);
                else
                    using (var from = entry.Open())
                        from.CopyTo(to);
            }
        }
        return result.ToArray();
    }
}
