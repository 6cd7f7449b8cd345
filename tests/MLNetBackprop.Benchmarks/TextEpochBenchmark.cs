using Microsoft.ML;
using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.Training;

namespace MLNetBackprop.Benchmarks;

/// <summary>
/// The text benchmark's dense-epoch system: one epoch of the MLP with the dense-row defaults (100 hidden units) in the
/// engine on the featurized training rows densified (how the ML.NET trainer trained on text before it kept such rows
/// sparse) against one epoch on the same rows kept sparse, with the default lazy update and with the exact dense one.
/// </summary>
internal static class TextEpochBenchmark
{
    private const int WarmupRows = 400;
    private const int SparseRepeats = 3;

    /// <summary>Featurizes the training split and prints one TEXT line with the three epochs' seconds and losses.</summary>
    /// <param name="path">data/debian-packages.tsv.</param>
    /// <param name="rowLimit">At most this many training rows (the first ones); 0: as many as one dense array holds.</param>
    public static void Run(string path, int rowLimit)
    {
        var ml = new MLContext(seed: 1);
        var (data, _, _) = DebianPackages.Load(ml, path);
        var split = DebianPackages.Split(ml, data);
        var all = DebianPackages.ReadFeatures(DebianPackages.Featurize(ml).Fit(split.TrainSet).Transform(split.TrainSet));
        // A .NET array holds at most Array.MaxLength elements, so the densified rows are capped there whatever the
        // limit asks: the full training split of this data set does not fit in one.
        var fitting = (int)Math.Min(all.Targets.Length, Array.MaxLength / all.Width);
        var rows = Math.Min(rowLimit > 0 ? rowLimit : int.MaxValue, fitting);
        var features = FirstRows(all, rows);
        var limitedBy = rows == all.Targets.Length ? "none" : rows == fitting ? "array" : "argument";

        // JIT and the one-time buffers of both paths, on a few rows, before anything is timed.
        var few = FirstRows(all, Math.Min(WarmupRows, rows));
        Epoch(Sparse(few), SparseUpdate.Lazy);
        Epoch(Sparse(few), SparseUpdate.Dense);
        Epoch(Dense(few), SparseUpdate.Lazy);

        var lazy = Best(() => Epoch(Sparse(features), SparseUpdate.Lazy));
        var exact = Best(() => Epoch(Sparse(features), SparseUpdate.Dense));
        var denseSet = Dense(features);
        var dense = Epoch(denseSet, SparseUpdate.Lazy); // the update setting applies to sparse rows only
        Console.WriteLine(string.Join(' ',
            $"TEXT system=dense-epoch rows={rows} of_rows={all.Targets.Length} limited_by={limitedBy} features={all.Width}",
            $"hidden={TrainingDefaults.HiddenLayerSize}",
            $"dense_s={dense.Seconds:F2} sparse_s={lazy.Seconds:F2} sparse_exact_s={exact.Seconds:F2} sparse_best_of={SparseRepeats}",
            $"speedup={dense.Seconds / lazy.Seconds:F1} speedup_exact={dense.Seconds / exact.Seconds:F1}",
            $"dense_loss={dense.Loss:F4} sparse_loss={lazy.Loss:F4} sparse_exact_loss={exact.Loss:F4}",
            $"dense_mb={(double)denseSet.Features!.Length * sizeof(float) / 1048576:F0}",
            $"csr_mb={(features.Values.Length * 8.0 + rows * 4.0) / 1048576:F1} peak_mb={ProcessMemory.PeakResidentMb():F0}"));
    }

    // The trainer's defaults for dense rows, which it applied to densified text: the same network on both sides, so
    // the ratio is the storage's alone (for sparse rows the trainer now picks a narrower first layer by itself).
    private static TrainingSettings Settings(SparseUpdate update) => new()
    {
        HiddenLayerSizes = [TrainingDefaults.HiddenLayerSize],
        Loss = LossKind.SoftmaxCrossEntropy,
        OutputCount = DebianPackages.Classes,
        MaxEpochs = 1,
        Tolerance = 0,
        Seed = 1,
        SparseUpdate = update,
    };

    // The sparse epochs last a second or so, where one busy moment of a shared host shows; the dense epoch lasts long
    // enough to average such moments out, and is too long to repeat.
    private static (double Seconds, double Loss) Best(Func<(double Seconds, double Loss)> epoch)
        => Enumerable.Range(0, SparseRepeats).Select(_ => epoch()).MinBy(e => e.Seconds);

    /// <summary>Seconds and training loss of the one epoch, from the engine's own epoch report.</summary>
    private static (double Seconds, double Loss) Epoch(TrainingSet rows, SparseUpdate update)
    {
        // The previous run's network and optimizer state are garbage by now; collecting them keeps the next run's
        // allocations from paying for it.
        GC.Collect();
        var report = NetworkTrainer.Train(rows, Settings(update), new TrainingRunOptions()).History[0];
        return (report.Elapsed.TotalSeconds, report.TrainingLoss);
    }

    private static TrainingSet Sparse(SparseFeatures f)
        => new(new SparseRows(f.Values, f.Indices, f.RowStarts, f.Width), f.Targets, null);

    // Laid out as the ML.NET trainer lays out the dense rows it reads (huge pages where offered), so the epoch is
    // the one that trainer runs, not one slowed by TLB misses of an ordinary array.
    private static TrainingSet Dense(SparseFeatures f)
    {
        var rows = f.Targets.Length;
        var dense = RowStoreAllocator.Allocate(rows * f.Width);
        for (var r = 0; r < rows; r++)
            for (var k = f.RowStarts[r]; k < f.RowStarts[r + 1]; k++)
                dense[(long)r * f.Width + f.Indices[k]] = f.Values[k];
        return new TrainingSet(dense, f.Targets, null, f.Width);
    }

    private static SparseFeatures FirstRows(SparseFeatures f, int rows)
    {
        var end = f.RowStarts[rows];
        return new SparseFeatures(f.Values[..end], f.Indices[..end], f.RowStarts[..(rows + 1)], f.Width, f.Targets[..rows]);
    }
}
