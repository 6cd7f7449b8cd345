namespace MLNetBackprop.Engine.Model;

/// <summary>Two ping-pong activation buffers for single-row prediction.</summary>
internal sealed class PredictionBuffers(int width)
{
    internal float[] First { get; } = new float[width];
    internal float[] Second { get; } = new float[width];
}
