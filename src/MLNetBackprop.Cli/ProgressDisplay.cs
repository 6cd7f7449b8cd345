using System.Globalization;

namespace MLNetBackprop.Cli;

/// <summary>
/// Shows training progress: a live, self-overwriting bar on a terminal; plain lines (at most about one a second)
/// when the output is redirected to a file or a pipe. The time left is an upper bound: it assumes the run takes all of
/// its epochs, and early stopping often ends it sooner. A run resumed from a checkpoint says so at its first epoch.
/// </summary>
internal sealed class ProgressDisplay(string? resumingFrom) : IProgress<MlpEpochReport>
{
    private const int BarWidth = 24;
    private readonly bool _live = !Console.IsOutputRedirected;
    private TimeSpan? _lastPrinted;
    private bool _lineOpen;

    /// <summary>The last epoch reported (0 before the first).</summary>
    public int LastEpoch { get; private set; }

    public void Report(MlpEpochReport report)
    {
        if (LastEpoch == 0 && resumingFrom is not null && report.Epoch > 1)
            Console.WriteLine($"resuming from checkpoint '{resumingFrom}' after epoch {report.Epoch - 1}");
        LastEpoch = report.Epoch;
        if (_live)
        {
            Console.Write($"\r{Describe(report, withBar: true)}\u001b[K");
            _lineOpen = true;
        }
        // The first report may be a later epoch: a resumed run starts where its checkpoint left off.
        else if (_lastPrinted is not { } last || report.Elapsed - last >= TimeSpan.FromSeconds(1))
        {
            Console.WriteLine(Describe(report, withBar: false));
            _lastPrinted = report.Elapsed;
        }
    }

    /// <summary>Ends the live line so that what follows starts on a fresh one.</summary>
    public void Finish()
    {
        if (_lineOpen)
            Console.WriteLine();
        _lineOpen = false;
    }

    private static string Describe(MlpEpochReport report, bool withBar)
    {
        var c = CultureInfo.InvariantCulture;
        int? maxEpochs = report.EpochLimit > 0 ? report.EpochLimit : null;
        var epochs = maxEpochs is { } max ? $"epoch {report.Epoch,4}/{max}" : $"epoch {report.Epoch,4}";
        var bar = withBar && maxEpochs is { } m ? " [" + new string('#', BarWidth * report.Epoch / m).PadRight(BarWidth) + "]" : "";
        var validation = report.ValidationAccuracy is { } accuracy ? string.Format(c, "  validation accuracy {0:F4}", accuracy)
            : report.ValidationLoss is { } loss ? string.Format(c, "  validation loss {0:G5}", loss) : "";
        var eta = maxEpochs is { } total && report.Epoch > 0
            ? string.Format(c, "  up to {0:F0} s left", report.Elapsed.TotalSeconds / report.Epoch * (total - report.Epoch))
            : string.Format(c, "  {0:F1} s", report.Elapsed.TotalSeconds);
        return string.Format(c, "{0}{1}  loss {2:G5}{3}{4}", epochs, bar, report.TrainingLoss, validation, eta);
    }
}
