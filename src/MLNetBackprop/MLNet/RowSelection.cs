using Microsoft.ML.Data;

namespace MLNetBackprop.MLNet;

/// <summary>
/// A validation split of streamed rows that needs no second copy: a row is held out when a hash of its row id (stable
/// across cursors, shuffled or not) and the seed falls below <see cref="Fraction"/>, so every pass holds out the same
/// rows. Not stratified by class.
/// </summary>
internal readonly record struct RowSelection(float Fraction, int Seed)
{
    /// <summary>Whether the row with id <paramref name="id"/> is held out for validation.</summary>
    public bool HoldsOut(DataViewRowId id)
    {
        var mixed = Mix(id.Low ^ Mix(id.High ^ (ulong)(uint)Seed ^ 0x6A09E667F3BCC908UL));
        return (mixed >> 11) * (1.0 / (1UL << 53)) < Fraction;
    }

    // SplitMix64's finalizer: every input bit affects every output bit.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
