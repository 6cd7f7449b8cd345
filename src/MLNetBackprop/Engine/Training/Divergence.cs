using System.Globalization;

namespace MLNetBackprop.Engine.Training;

/// <summary>The <see cref="TrainingDivergedException"/> of a run whose loss or parameters became non-finite.</summary>
internal static class Divergence
{
    /// <summary>The exception for <paramref name="what"/> becoming <paramref name="value"/> at <paramref name="epoch"/>.</summary>
    public static TrainingDivergedException At(int epoch, string what, double value, float learningRate)
        => new(string.Create(CultureInfo.InvariantCulture,
            $"Training diverged at epoch {epoch} ({what} became {(double.IsNaN(value) ? "NaN" : "Infinity")}). ") + Advice(learningRate));

    /// <summary>What to do about a diverged run, the end of every divergence message.</summary>
    public static string Advice(float learningRate)
        => string.Create(CultureInfo.InvariantCulture,
            $"Normalize the features (e.g. NormalizeMinMax, or let the model scale them with InputScaling = Robust) or lower the learning rate (currently {learningRate}).");
}
