namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// The few vector operations the matrix tiles need, over a vector type <typeparamref name="TV"/> of float lanes.
/// Kernels are written once against this interface and the JIT specialises them per implementing struct.
/// Every implementation computes a·b + c with a single rounding, so all widths give the same bits per lane.
/// </summary>
internal unsafe interface IFmaLanes<TV> where TV : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }
    /// <summary>
    /// Rows of the matrix tiles at this width: as many as keep a tile's accumulators, two B′ vectors and a broadcast in
    /// the vector registers the instruction set has (6 or 8; see <see cref="GemmTileSixRows{TV, TL}"/>).
    /// </summary>
    static abstract int TileRows { get; }
    /// <summary>A vector of zeros.</summary>
    static abstract TV Zero { get; }
    /// <summary>Loads Count floats.</summary>
    static abstract TV Load(float* source);
    /// <summary>Stores Count floats.</summary>
    static abstract void Store(float* destination, TV value);
    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TV Broadcast(float value);
    /// <summary>a·b + c, rounded once.</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV c);
}
