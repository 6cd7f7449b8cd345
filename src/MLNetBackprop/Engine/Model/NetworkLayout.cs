using System.Collections.Immutable;
using MLNetBackprop.Engine.Kernels;

namespace MLNetBackprop.Engine.Model;

/// <summary>
/// The shape of a fully connected network: input width, hidden layer widths, output width and the hidden
/// activation. All parameters live in one flat vector; layer <c>l</c> stores its weights as a row-major
/// [fanIn x fanOut] matrix followed by its fanOut biases.
/// </summary>
internal sealed class NetworkLayout
{
    /// <summary>Creates a layout; every width must be at least 1.</summary>
    public NetworkLayout(int inputCount, IReadOnlyList<int> hiddenSizes, int outputCount, ActivationKind hiddenActivation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        foreach (var size in hiddenSizes)
            ArgumentOutOfRangeException.ThrowIfLessThan(size, 1, nameof(hiddenSizes));
        InputCount = inputCount;
        HiddenSizes = [.. hiddenSizes];
        OutputCount = outputCount;
        HiddenActivation = hiddenActivation;
        Widths = [inputCount, .. HiddenSizes, outputCount];
        MaxWidth = Widths.Max();
        var total = CountParameters(Widths);
        if (total > Array.MaxLength)
            throw new ArgumentException($"The network has {total} parameters, more than one array can hold; use narrower layers.");
        var weightOffsets = new int[LayerCount];
        var biasOffsets = new int[LayerCount];
        var offset = 0;
        for (var l = 0; l < LayerCount; l++)
        {
            weightOffsets[l] = offset;
            offset += Widths[l] * Widths[l + 1];
            biasOffsets[l] = offset;
            offset += Widths[l + 1];
        }
        WeightOffsets = [.. weightOffsets];
        BiasOffsets = [.. biasOffsets];
        ParameterCount = offset;
    }

    /// <summary>The weights and biases of a network of these layer widths (inputs first), counted without overflow.</summary>
    public static long CountParameters(IReadOnlyList<int> widths)
    {
        long count = 0;
        for (var l = 0; l + 1 < widths.Count; l++)
            count += ((long)widths[l] * widths[l + 1]) + widths[l + 1];
        return count;
    }

    /// <summary>Number of input features.</summary>
    public int InputCount { get; }
    /// <summary>Widths of the hidden layers, input side first. May be empty (a linear model).</summary>
    public ImmutableArray<int> HiddenSizes { get; }
    /// <summary>Number of raw outputs (logits for classification).</summary>
    public int OutputCount { get; }
    /// <summary>Activation after every hidden layer; the output layer is always identity.</summary>
    public ActivationKind HiddenActivation { get; }
    /// <summary>Number of dense layers (hidden layers + the output layer).</summary>
    public int LayerCount => HiddenSizes.Length + 1;
    /// <summary>Widths of every layer's input and output: [input, hidden..., output].</summary>
    public ImmutableArray<int> Widths { get; }
    /// <summary>Offset of layer l's weight matrix in the flat parameter vector.</summary>
    public ImmutableArray<int> WeightOffsets { get; }
    /// <summary>Offset of layer l's bias vector in the flat parameter vector.</summary>
    public ImmutableArray<int> BiasOffsets { get; }
    /// <summary>Total number of parameters.</summary>
    public int ParameterCount { get; }
    /// <summary>Widest layer, input included: the size of per-row scratch buffers.</summary>
    public int MaxWidth { get; }

    /// <summary>Where layer <paramref name="layer"/>'s weight matrix (not its biases) lies in the flat parameter vector.</summary>
    public ParameterRange Weights(int layer) => new(WeightOffsets[layer], Widths[layer] * Widths[layer + 1]);
}
