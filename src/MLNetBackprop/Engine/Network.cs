namespace MLNetBackprop.Engine;

/// <summary>
/// A trained (or initialised) fully connected network: its layout and its flat parameter vector. Immutable
/// after training; prediction is thread-safe as long as each thread uses its own <see cref="PredictionBuffers"/>.
/// </summary>
public sealed class Network
{
    /// <summary>Wraps a layout and its parameters (length must equal <see cref="NetworkLayout.ParameterCount"/>).</summary>
    public Network(NetworkLayout layout, float[] parameters)
    {
        if (parameters.Length != layout.ParameterCount)
            throw new ArgumentException($"The layout needs {layout.ParameterCount} parameters but {parameters.Length} were given.");
        Layout = layout;
        Parameters = parameters;
    }

    /// <summary>The network's shape.</summary>
    public NetworkLayout Layout { get; }
    /// <summary>All weights and biases, laid out as <see cref="NetworkLayout"/> describes.</summary>
    public float[] Parameters { get; }

    /// <summary>Scratch memory for <see cref="Predict"/>; one per thread.</summary>
    public PredictionBuffers CreatePredictionBuffers() => new(Layout.MaxWidth);

    /// <summary>Computes the raw outputs (logits) for one row of features.</summary>
    public void Predict(ReadOnlySpan<float> features, Span<float> outputs, PredictionBuffers buffers)
        => throw new NotImplementedException();
}

/// <summary>Two ping-pong activation buffers for single-row prediction.</summary>
public sealed class PredictionBuffers(int width)
{
    internal float[] First { get; } = new float[width];
    internal float[] Second { get; } = new float[width];
}
