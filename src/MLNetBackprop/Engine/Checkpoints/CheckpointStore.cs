using System.Text;
using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.Engine.Checkpoints;

/// <summary>
/// Files holding a training run's full state. A file starts with a magic string, a format version and a
/// description of the run (every setting, the data's shape and a hash of its contents), so that a checkpoint is
/// only resumed by the run that wrote it. Writes go to a temporary file in the same folder that is then renamed over
/// the checkpoint, so a crash leaves the previous checkpoint intact.
/// </summary>
internal static class CheckpointStore
{
    private const string Magic = "MLNetBackprop checkpoint";
    // 2: the history in EpochHistoryFormat, as model files store it. Version 1 files are refused with a message.
    private const int FormatVersion = 2;

    /// <summary>Writes a checkpoint atomically: <paramref name="write"/> fills the body after the header.</summary>
    public static void Write(string path, string runDescription, Action<BinaryWriter> write)
    {
        var full = Path.GetFullPath(path);
        var temporary = full + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(FormatVersion);
                writer.Write(runDescription);
                write(writer);
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>
    /// Reads the checkpoint at <paramref name="path"/> into <paramref name="read"/> if the file exists; false if it
    /// does not.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file belongs to another run, or is damaged.</exception>
    public static bool TryRead(string path, string runDescription, Action<BinaryReader> read)
    {
        if (!File.Exists(path))
            return false;
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (reader.ReadString() != Magic)
                throw new InvalidDataException("it is not a training checkpoint");
            var version = reader.ReadInt32();
            if (version != FormatVersion)
                throw new InvalidDataException(
                    $"it was written by {(version < FormatVersion ? "an earlier" : "a later")} version of MLNetBackprop " +
                    $"(checkpoint format {version}; this version reads format {FormatVersion})");
            var written = reader.ReadString();
            if (written != runDescription)
                throw new InvalidOperationException(
                    $"The checkpoint '{path}' was written by a different training run ({FirstDifference(written, runDescription)}). " +
                    "Resume with the same data and settings, or delete the file (or choose another checkpoint path) to start afresh.");
            read(reader);
            if (stream.Position != stream.Length)
                throw new InvalidDataException("it has data after the end of the state");
            return true;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or ArgumentException)
        {
            throw new InvalidOperationException($"The checkpoint '{path}' cannot be resumed: {Clause(e.Message)}. Delete it to start afresh.", e);
        }
    }

    // An inner message as a clause of ours: without its closing full stop, and starting in lower case unless its first
    // word is an acronym ("The training history … is not valid." becomes "the training history … is not valid").
    private static string Clause(string message)
    {
        var clause = message.TrimEnd().TrimEnd('.');
        return clause.Length > 1 && char.IsUpper(clause[0]) && char.IsLower(clause[1])
            ? char.ToLowerInvariant(clause[0]) + clause[1..]
            : clause;
    }

    /// <summary>Deletes the checkpoint and any temporary file left next to it.</summary>
    public static void Delete(string path)
    {
        File.Delete(path);
        File.Delete(Path.GetFullPath(path) + ".tmp");
    }

    // Descriptions are "name=value" items separated by "; ".
    private static string FirstDifference(string written, string current)
    {
        var a = written.Split("; ");
        var b = current.Split("; ");
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i] : "(nothing)";
            var y = i < b.Length ? b[i] : "(nothing)";
            if (x != y)
                return $"checkpoint has {x}, this run has {y}";
        }
        return "same description";
    }

    /// <summary>A <see cref="DataFingerprint"/> of the data's values, weights and shape (and sparse structure).</summary>
    public static ulong HashData(TrainingSet? data)
    {
        var hash = new DataFingerprint();
        if (data is null)
            return hash.Value;
        hash.Add((uint)data.FeatureCount);
        if (data.SparseFeatures is { } sparse)
        {
            hash.Add(uint.MaxValue); // no dense set of any width starts with this, so the two storages never share a hash
            hash.Add(sparse.RowStarts);
            hash.Add(sparse.Indices);
        }
        hash.Add(data.SparseFeatures?.Values ?? data.Features);
        hash.Add(data.Targets);
        if (data.Weights is { } weights)
            hash.Add(weights);
        return hash.Value;
    }
}
