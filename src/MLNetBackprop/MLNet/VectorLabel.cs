using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.MLNet;

/// <summary>
/// What a model trained on a vector label keeps of it: the number of values, their slot names (empty strings when
/// the label had none) and, for multi-output regression, each target's standardization. Saved after the network.
/// </summary>
internal sealed class VectorLabel
{
    /// <summary>A label of <paramref name="slotNames"/>.Length values; <paramref name="scalings"/> one per value, or null (multi-label).</summary>
    public VectorLabel(string[] slotNames, LabelScaling[]? scalings)
    {
        if (slotNames.Length < 1)
            throw new ArgumentException("A vector label has at least one value.", nameof(slotNames));
        if (scalings is not null && scalings.Length != slotNames.Length)
            throw new ArgumentException($"{scalings.Length} scalings for {slotNames.Length} targets.", nameof(scalings));
        SlotNames = slotNames;
        Scalings = scalings;
    }

    /// <summary>Number of values (outputs of the network).</summary>
    public int Count => SlotNames.Length;
    /// <summary>Each value's name from the label's slot names, or "" where it had none.</summary>
    public string[] SlotNames { get; }
    /// <summary>Each target's standardization (regression), or null (multi-label).</summary>
    public LabelScaling[]? Scalings { get; }
    /// <summary>Whether the label had slot names to pass on to the output columns.</summary>
    public bool HasSlotNames => SlotNames.Any(n => n.Length > 0);

    /// <summary>The name of value <paramref name="index"/> for messages: its slot name, or its index.</summary>
    public string Describe(int index) => SlotNames[index].Length > 0 ? $"'{SlotNames[index]}' (value {index})" : $"value {index}";

    /// <summary>The slot names of <paramref name="label"/> (a vector of <paramref name="size"/>), "" where it has none.</summary>
    public static string[] SlotNamesOf(DataViewSchema.Column label, int size)
    {
        var names = new string[size];
        Array.Fill(names, "");
        if (label.HasSlotNames(size))
        {
            var buffer = default(VBuffer<ReadOnlyMemory<char>>);
            label.GetSlotNames(ref buffer);
            var indices = buffer.GetIndices();
            var values = buffer.GetValues();
            for (var k = 0; k < values.Length; k++)
                names[buffer.IsDense ? k : indices[k]] = values[k].ToString();
        }
        return names;
    }

    /// <summary>Annotations carrying the slot names, for an output column of this label's size (none without names).</summary>
    public DataViewSchema.Annotations SlotNameAnnotations(DataViewSchema.Annotations? extra = null)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        if (extra is not null)
            builder.Add(extra, _ => true);
        if (HasSlotNames)
        {
            var names = SlotNames.Select(n => n.AsMemory()).ToArray();
            builder.AddSlotNames(Count, (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(names.Length, names));
        }
        return builder.ToAnnotations();
    }

    public void Write(BinaryWriter writer)
    {
        // *** Binary format ***: int count, byte 1 when scalings follow the names, count names, count scalings.
        writer.Write(Count);
        writer.Write((byte)(Scalings is null ? 0 : 1));
        foreach (var name in SlotNames)
            writer.Write(name);
        foreach (var scaling in Scalings ?? [])
            scaling.Write(writer);
    }

    /// <summary>Reads a label of <paramref name="outputs"/> values, refusing counts, names and scalings no model writes.</summary>
    public static VectorLabel Read(BinaryReader reader, int outputs, bool scaled)
    {
        var count = reader.ReadInt32();
        if (count != outputs)
            throw new InvalidDataException($"The vector label has {count} values, but the network has {outputs} outputs.");
        var hasScalings = reader.ReadByte();
        if (hasScalings != (scaled ? 1 : 0))
            throw new InvalidDataException($"The vector label's scaling flag is {hasScalings}; this kind of model stores {(scaled ? 1 : 0)}.");
        var names = new string[count];
        for (var j = 0; j < count; j++)
        {
            names[j] = reader.ReadString();
            if (names[j].Length > MaxSlotNameLength)
                throw new InvalidDataException($"The vector label's slot name {j} has {names[j].Length} characters, more than {MaxSlotNameLength}.");
        }
        var scalings = scaled ? Enumerable.Range(0, count).Select(_ => LabelScaling.Read(reader)).ToArray() : null;
        return new VectorLabel(names, scalings);
    }

    private const int MaxSlotNameLength = 1 << 16;
}
