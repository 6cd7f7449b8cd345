using MLNetBackprop.Engine.Kernels;

namespace MLNetBackprop.Engine.Layers;

/// <summary>
/// What a layer's backward step reads of the hidden layer below it, as the last forward pass left it: enough to
/// carry ∂loss/∂A of that layer's output back through its dropout mask and activation to ∂loss/∂Z.
/// </summary>
internal readonly ref struct LayerBelow
{
    private readonly ActivationKind _activation;
    private readonly ReadOnlySpan<float> _preActivations;
    private readonly ReadOnlySpan<float> _activations;
    private readonly ReadOnlySpan<float> _mask;

    /// <summary>
    /// The layer's activation, its Z and f(Z) [rows × width], and the dropout mask the forward pass applied to it
    /// (empty when none was).
    /// </summary>
    public LayerBelow(ActivationKind activation, ReadOnlySpan<float> preActivations, ReadOnlySpan<float> activations,
        ReadOnlySpan<float> mask)
    {
        _activation = activation;
        _preActivations = preActivations;
        _activations = activations;
        _mask = mask;
    }

    /// <summary>
    /// Turns ∂loss/∂A in <paramref name="gradient"/> into ∂loss/∂Z in place: ⊙ mask, then ⊙ f′(Z), for the elements
    /// of the layer from <paramref name="offset"/> on.
    /// </summary>
    public void ToPreActivationGradient(Span<float> gradient, int offset)
    {
        var size = gradient.Length;
        if (!_mask.IsEmpty)
        {
            // The layer above saw a ⊙ mask, so ∂loss/∂a = ∂loss/∂(a ⊙ mask) ⊙ mask.
            var m = _mask.Slice(offset, size);
            for (var i = 0; i < size; i++)
                gradient[i] *= m[i];
        }
        Activations.Backward(_activation, _preActivations.Slice(offset, size), _activations.Slice(offset, size), gradient);
    }
}
