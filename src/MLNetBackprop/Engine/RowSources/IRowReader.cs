using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.Engine.RowSources;

/// <summary>One pass of an <see cref="IRowStream"/>, read a row at a time; used by one thread.</summary>
internal interface IRowReader : IDisposable
{
    /// <summary>
    /// Writes the pass's next row into slot <paramref name="slot"/> of <paramref name="rows"/>; false when the pass
    /// has no rows left.
    /// </summary>
    /// <exception cref="InvalidOperationException">A row is invalid or the data cannot be read; the message says where.</exception>
    bool ReadInto(RowSlots rows, int slot);
}
