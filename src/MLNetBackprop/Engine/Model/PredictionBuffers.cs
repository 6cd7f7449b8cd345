namespace MLNetBackprop.Engine.Model;

/// <summary>
/// Two ping-pong activation buffers for single-row prediction, and room for one scaled input row (empty when the
/// network does not scale its inputs).
/// </summary>
internal sealed class PredictionBuffers(int width, int inputWidth)
{
    internal float[] First { get; } = new float[width];
    internal float[] Second { get; } = new float[width];
    internal float[] Input { get; } = new float[inputWidth];
}
