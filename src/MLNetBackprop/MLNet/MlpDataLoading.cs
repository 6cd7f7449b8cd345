namespace MLNetBackprop;

/// <summary>How the trainer reads its training (and validation) rows: all into memory, or streamed every epoch.</summary>
public enum MlpDataLoading
{
    /// <summary>
    /// <see cref="InMemory"/> when the rows fit comfortably in the memory .NET may use, else <see cref="Streaming"/>;
    /// the log says which it chose and why (see <see cref="MlpOptionsBase.DataLoading"/>). The default.
    /// </summary>
    Auto = 0,

    /// <summary>
    /// Read every row into memory once (dense, or sparse when few values are non-zero) and train on them there: the
    /// fastest epochs. Fails with a clear message when the rows cannot fit.
    /// </summary>
    InMemory = 1,

    /// <summary>
    /// Read the rows through a cursor on every pass, mixing them through a shuffle buffer of
    /// <see cref="MlpOptionsBase.ShuffleBufferSize"/> rows; memory stays at the buffer, the model and a few batches
    /// whatever the data's size. A first pass counts and checks the rows; each epoch is then one pass (validation
    /// and L-BFGS add passes of their own).
    /// </summary>
    Streaming = 2,
}
