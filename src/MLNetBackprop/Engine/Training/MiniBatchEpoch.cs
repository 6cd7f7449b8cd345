using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.RowSources;

namespace MLNetBackprop.Engine.Training;

/// <summary>
/// One pass over the training rows in mini-batches, each followed by an update: gradient (with the L2 penalty),
/// clipping to the global norm, decoupled weight decay, then the optimizer step. A batch of sparse rows under
/// <see cref="SparseUpdate.Lazy"/> does all four on the <see cref="LazyUpdateRegion"/> of its features only.
/// </summary>
internal sealed class MiniBatchEpoch(IRowSource data, TrainingSettings settings, NetworkLayout layout, BatchWorkspace workspace,
    bool dropout, CancellationToken cancellation)
{
    /// <summary>
    /// Runs epoch <paramref name="epoch"/> at learning rate <paramref name="rate"/> and returns its loss, the mean
    /// of the batch losses weighted by their row counts; null when cancelled part-way.
    /// </summary>
    public double? Run(TrainingState state, int epoch, float rate)
    {
        state.Optimizer!.LearningRate = rate;
        var decay = DecayFactor(settings, rate);
        double lossSum = 0;
        long rowsCounted = 0;
        using var pass = data.StartEpoch(workspace, state.Order, state.Random, settings.Shuffle, cancellation);
        while (!cancellation.IsCancellationRequested)
        {
            var rows = pass.Next(out var weightSum);
            if (rows == 0 && cancellation.IsCancellationRequested)
                return null;
            if (rows == 0)
                return rowsCounted > 0 ? lossSum / rowsCounted
                    : throw new ArgumentException("Every batch of the epoch has example weights summing to zero; nothing can be learned.", "data");
            // A batch whose weights sum to zero holds no information: no update, and its rows do not count.
            if (!(weightSum > 0))
                continue;
            lossSum += Update(state, rows, epoch, rate, decay) * rows;
            rowsCounted += rows;
        }
        return null;
    }

    private readonly LazyUpdateRegion _lazyRegion = new(layout);

    // One update from the gathered batch; returns its loss.
    private double Update(TrainingState state, int rows, int epoch, float rate, float decay)
    {
        var lazy = settings.SparseUpdate == SparseUpdate.Lazy && workspace.SparseInputs is { } sparse
            ? _lazyRegion.For(sparse.Features) : null;
        var loss = Backpropagation.LossAndGradient(state.Parameters, workspace, rows, settings.Loss, settings.HuberDelta,
            settings.L2, data.HasWeights, dropout ? state.Random : null, lazy);
        if (!double.IsFinite(loss))
            throw Divergence.At(epoch, "the loss", loss, rate);
        if (lazy is null)
            Step(state, decay, [new ParameterRange(0, layout.ParameterCount)], [layout.Weights(0)]);
        else
            Step(state, decay, lazy.Ranges, lazy.FirstLayerRanges);
        return loss;
    }

    private void Step(TrainingState state, float decay, ReadOnlySpan<ParameterRange> ranges, ReadOnlySpan<ParameterRange> firstLayerWeights)
        => Step(settings, layout, state, workspace.Gradient, decay, ranges, firstLayerWeights);

    /// <summary>
    /// Clipping, weight decay and the optimizer step over the parameters being updated: all of them, or a lazy region
    /// (whose gradient is zero outside it, so clipping there gives the dense result), with its first-layer weights.
    /// </summary>
    public static void Step(TrainingSettings settings, NetworkLayout layout, TrainingState state, float[] gradient, float decay,
        ReadOnlySpan<ParameterRange> ranges, ReadOnlySpan<ParameterRange> firstLayerWeights)
    {
        if (settings.GradientClipNorm > 0)
            GradientClipping.ClipByGlobalNorm(gradient, settings.GradientClipNorm, ranges);
        if (decay != 1f)
            WeightDecay.ScaleWeights(layout, state.Parameters, decay, firstLayerWeights);
        state.Optimizer!.Step(state.Parameters, gradient, ranges);
    }

    /// <summary>What decoupled weight decay multiplies the weights by at learning rate <paramref name="rate"/> (1 for none).</summary>
    public static float DecayFactor(TrainingSettings settings, float rate) => settings.WeightDecay > 0 ? 1f - rate * settings.WeightDecay : 1f;
}
