namespace MLNetBackprop.Engine.Model;

/// <summary>
/// Two ping-pong activation buffers for single-row prediction, room for one encoded and scaled input row (empty when
/// the network neither encodes nor scales its inputs) and for one dense row of features (empty unless it encodes them).
/// </summary>
internal sealed class PredictionBuffers(int width, int inputWidth, int rawWidth = 0)
{
    internal float[] First { get; } = new float[width];
    internal float[] Second { get; } = new float[width];
    internal float[] Input { get; } = new float[inputWidth];
    internal float[] Raw { get; } = new float[rawWidth];
}
