using System.Text;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Tests.Engine.Training;

/// <summary>The one epoch-history layout of checkpoints and model files.</summary>
public class EpochHistoryFormatTests
{
    private static readonly EpochReport[] History =
    [
        new(1, 0.75, TimeSpan.FromTicks(1234)) { LearningRate = 1e-3f, SamplesPerSecond = 5000.5 },
        new(2, 0.5, TimeSpan.FromTicks(5678)) { ValidationLoss = 0.625, ValidationAccuracy = 0.875, LearningRate = 5e-4f, SamplesPerSecond = 6000 },
        new(3, double.Epsilon, TimeSpan.MaxValue) { ValidationLoss = 0, ValidationAccuracy = null, LearningRate = float.MaxValue },
    ];

    [Fact]
    public void A_history_round_trips_exactly_with_its_epoch_limit()
    {
        var bytes = Written(History, epochLimit: 40);
        // count, limit, then epoch, loss, validation loss, accuracy, rate, speed, ticks per epoch: the model file layout.
        Assert.Equal(8 + History.Length * (4 + 8 + 8 + 8 + 4 + 8 + 8), bytes.Length);
        using var reader = new BinaryReader(new MemoryStream(bytes));
        var read = EpochHistoryFormat.Read(reader, out var limit);
        Assert.Equal(40, limit);
        Assert.Equal(History, read);
        Assert.Equal(bytes.Length, reader.BaseStream.Position);
    }

    [Fact]
    public void An_empty_history_round_trips()
    {
        using var reader = new BinaryReader(new MemoryStream(Written([], epochLimit: 0)));
        Assert.Empty(EpochHistoryFormat.Read(reader, out var limit));
        Assert.Equal(0, limit);
    }

    [Theory]
    [InlineData(-1, 5)]
    [InlineData(3, 2)]
    [InlineData(EpochHistoryFormat.MaxLength + 1, int.MaxValue)]
    public void Impossible_counts_are_refused(int count, int limit)
    {
        var bytes = new MemoryStream();
        using (var writer = new BinaryWriter(bytes, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(count);
            writer.Write(limit);
        }
        using var reader = new BinaryReader(new MemoryStream(bytes.ToArray()));
        Assert.Throws<InvalidDataException>(() => EpochHistoryFormat.Read(reader, out _));
    }

    private static byte[] Written(IReadOnlyList<EpochReport> history, int epochLimit)
    {
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            EpochHistoryFormat.Write(writer, history, epochLimit);
        return stream.ToArray();
    }
}
