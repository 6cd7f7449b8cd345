using System.Text;
using MLNetBackprop.Engine.Checkpoints;

namespace MLNetBackprop.Tests.Engine.Checkpoints;

/// <summary>The checkpoint file's header and the messages for files that cannot be resumed.</summary>
public class CheckpointStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlp-checkpoint-store-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_checkpoint_of_the_previous_format_is_refused_as_written_by_an_earlier_version()
    {
        var path = Path.Combine(_folder, "old.ckpt");
        using (var writer = new BinaryWriter(File.Create(path), Encoding.UTF8))
        {
            writer.Write("MLNetBackprop checkpoint");
            writer.Write(1);
            writer.Write("run");
        }

        var error = Assert.Throws<InvalidOperationException>(() => CheckpointStore.TryRead(path, "run", _ => { }));

        Assert.Contains("written by an earlier version of MLNetBackprop", error.Message);
        Assert.Contains("checkpoint format 1", error.Message);
        Assert.EndsWith("Delete it to start afresh.", error.Message);
    }

    [Fact]
    public void A_sentence_from_the_body_reader_becomes_one_clause_of_the_message()
    {
        var path = Path.Combine(_folder, "run.ckpt");
        CheckpointStore.Write(path, "run", _ => { });

        var error = Assert.Throws<InvalidOperationException>(() => CheckpointStore.TryRead(path, "run",
            _ => throw new InvalidDataException("The training history (3 epochs, limit 2) is not valid.")));

        Assert.Equal(
            $"The checkpoint '{path}' cannot be resumed: the training history (3 epochs, limit 2) is not valid. Delete it to start afresh.",
            error.Message);
    }
}
