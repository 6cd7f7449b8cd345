using Microsoft.ML;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>An MLContext whose log messages are kept, for tests that check what training reported.</summary>
public static class TrainingLog
{
    public static (MLContext Ml, List<string> Log) Context(int seed = 1)
    {
        var ml = new MLContext(seed: seed);
        var log = new List<string>();
        ml.Log += (_, e) => { lock (log) log.Add(e.Message); };
        return (ml, log);
    }
}
