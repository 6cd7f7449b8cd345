using System.Diagnostics;
using System.Globalization;

namespace MLNetBackprop.Engine;

/// <summary>Mini-batch backpropagation training loop.</summary>
public static class NetworkTrainer
{
    /// <summary>
    /// Trains a network on <paramref name="data"/>. Deterministic: the same data and settings give the same
    /// parameters bit for bit.
    /// </summary>
    /// <remarks>
    /// One <see cref="SeededRandom"/> seeded with <see cref="TrainingSettings.Seed"/> draws the initial weights and
    /// then, each epoch, reshuffles the row order. Batches take consecutive rows of that order; the last may be
    /// shorter. A batch whose example weights sum to zero is skipped: no update, and its rows do not count in the
    /// epoch loss, which is the mean of the batch losses weighted by their row counts.
    /// </remarks>
    /// <exception cref="ArgumentException">A setting or the data is invalid; the parameter name is the setting's.</exception>
    /// <exception cref="TrainingDivergedException">The loss or the parameters became non-finite.</exception>
    public static TrainingResult Train(TrainingSet data, TrainingSettings settings, Action<EpochReport>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        SettingsValidator.Validate(data, settings);
        var layout = new NetworkLayout(data.FeatureCount, settings.HiddenLayerSizes, settings.OutputCount, settings.HiddenActivation);
        var random = new SeededRandom(settings.Seed);
        var parameters = new float[layout.ParameterCount];
        ParameterInitializer.Initialize(layout, parameters, random);
        var run = new TrainingRun(data, settings, layout, parameters, random);
        return run.Execute(onEpoch);
    }

    /// <summary>The message of the <see cref="TrainingDivergedException"/> thrown at <paramref name="epoch"/>.</summary>
    internal static string DivergedMessage(int epoch, string what, double value, float learningRate)
        => string.Create(CultureInfo.InvariantCulture,
            $"Training diverged at epoch {epoch} ({what} became {(double.IsNaN(value) ? "NaN" : "Infinity")}). " +
            $"Normalize the features (e.g. NormalizeMinMax) or lower the learning rate (currently {learningRate}).");

    // The state of one call to Train: buffers, optimizer and the epoch loop.
    private sealed class TrainingRun(TrainingSet data, TrainingSettings settings, NetworkLayout layout, float[] parameters, SeededRandom random)
    {
        private readonly BatchWorkspace _workspace = new(layout, Math.Min(settings.BatchSize, data.RowCount));
        private readonly IOptimizer _optimizer = CreateOptimizer(settings, layout.ParameterCount);
        private readonly int[] _order = CreateOrder(data.RowCount);

        public TrainingResult Execute(Action<EpochReport>? onEpoch)
        {
            var clock = Stopwatch.StartNew();
            var history = new List<EpochReport>();
            var best = double.PositiveInfinity;
            var stale = 0;
            for (var epoch = 1; epoch <= settings.MaxEpochs; epoch++)
            {
                var loss = RunEpoch(epoch);
                var report = new EpochReport(epoch, loss, clock.Elapsed);
                history.Add(report);
                onEpoch?.Invoke(report);
                if (settings.Tolerance <= 0)
                    continue;
                // scikit-learn's rule: an epoch counts as an improvement only if it beats the best by the tolerance.
                stale = loss > best - settings.Tolerance ? stale + 1 : 0;
                best = Math.Min(best, loss);
                if (stale >= settings.EpochsWithoutImprovement && epoch < settings.MaxEpochs)
                    return new TrainingResult(new Network(layout, parameters), history, StoppedByTolerance: true);
            }
            return new TrainingResult(new Network(layout, parameters), history, StoppedByTolerance: false);
        }

        private double RunEpoch(int epoch)
        {
            if (settings.Shuffle)
                random.Shuffle(_order);
            var weighted = data.Weights is not null;
            double lossSum = 0;
            long rowsCounted = 0;
            for (var start = 0; start < _order.Length; start += _workspace.Capacity)
            {
                var rows = Math.Min(_workspace.Capacity, _order.Length - start);
                var weightSum = _workspace.Gather(data, _order.AsSpan(start, rows));
                if (!(weightSum > 0))
                    continue;
                var loss = Backpropagation.LossAndGradient(parameters, _workspace, rows, settings.Loss,
                    settings.HuberDelta, settings.L2, weighted);
                if (!double.IsFinite(loss))
                    throw new TrainingDivergedException(DivergedMessage(epoch, "the loss", loss, settings.LearningRate));
                _optimizer.Step(parameters, _workspace.Gradient);
                lossSum += loss * rows;
                rowsCounted += rows;
            }
            CheckParameters(epoch);
            return lossSum / rowsCounted;
        }

        // A finite loss can still come with an overflowing gradient; never hand back a non-finite model.
        private void CheckParameters(int epoch)
        {
            foreach (var p in parameters)
                if (!float.IsFinite(p))
                    throw new TrainingDivergedException(DivergedMessage(epoch, "the parameters", p, settings.LearningRate));
        }

        private static IOptimizer CreateOptimizer(TrainingSettings s, int count) => s.Optimizer switch
        {
            OptimizerKind.Sgd => new SgdOptimizer(count, s.LearningRate, s.Momentum, s.Nesterov),
            _ => new AdamOptimizer(count, s.LearningRate, s.Beta1, s.Beta2, s.Epsilon),
        };

        private static int[] CreateOrder(int rows)
        {
            var order = new int[rows];
            for (var i = 0; i < rows; i++)
                order[i] = i;
            return order;
        }
    }
}
