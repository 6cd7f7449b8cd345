using System.Text;

namespace MLNetBackprop.Engine.Collective;

/// <summary>
/// Checks that the ranks of a job agree before they train together: on the run's description (settings, data shape and
/// contents), and on the epoch a checkpoint resumes from. A rank that disagreed would otherwise train another model, or
/// wait forever in a collective call the others never make; here every rank fails with the same message instead.
/// </summary>
internal static class RunAgreement
{
    /// <summary>
    /// Compares this rank's <paramref name="description"/> ("name=value" items separated by "; ") with rank 0's.
    /// </summary>
    /// <exception cref="InvalidOperationException">Some rank describes another run; the message names the ranks and a difference.</exception>
    public static void CheckSameRun(ICollective collective, string description)
    {
        var rootDescription = BroadcastText(collective, description, root: 0);
        var difference = rootDescription == description ? null : FirstDifference(description, rootDescription);
        var differing = RanksWhere(collective, difference is not null);
        if (differing.Length == 0)
            return;
        // Every rank reports the first differing rank's difference, whichever rank's error the job shows.
        var shown = BroadcastText(collective, difference ?? "", root: differing[0]);
        throw new InvalidOperationException(
            $"The ranks of this job describe different training runs: rank{(differing.Length > 1 ? "s" : "")} {string.Join(", ", differing)} " +
            $"differ{(differing.Length > 1 ? "" : "s")} from rank 0 (rank {differing[0]} has {shown}). " +
            "Every rank must run the same program with the same options (HiddenLayerSizes, Seed, ...) on the same data.");
    }

    // Rank `root`'s text on every rank.
    private static string BroadcastText(ICollective collective, string text, int root)
    {
        var mine = Encoding.UTF8.GetBytes(text);
        var length = BitConverter.GetBytes(mine.Length);
        collective.Broadcast(length, root);
        var bytes = new byte[BitConverter.ToInt32(length)];
        if (collective.Rank == root)
            mine.CopyTo(bytes, 0);
        collective.Broadcast(bytes, root);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Checks that every rank resumed the same number of epochs from its checkpoint.</summary>
    /// <exception cref="InvalidOperationException">The ranks found different checkpoints.</exception>
    public static void CheckSameResume(ICollective collective, int epochsResumed, string path)
    {
        var epochs = Gather(collective, [epochsResumed]);
        if (epochs.All(e => e == epochs[0]))
            return;
        throw new InvalidOperationException(
            $"The ranks found different checkpoints at '{path}' (epochs resumed per rank: {string.Join(", ", epochs)}). " +
            "Rank 0 writes the checkpoint; put CheckpointPath on a file system every rank shares, or delete the file to start afresh.");
    }

    /// <summary>
    /// Checks after epoch <paramref name="epoch"/> that every rank holds the same parameters, by their
    /// <paramref name="hash"/>: the collective's sums must have reached every rank alike.
    /// </summary>
    /// <exception cref="InvalidOperationException">The ranks' parameters differ.</exception>
    public static void CheckSameParameters(ICollective collective, ulong hash, int epoch)
    {
        var hashes = GatherHashes(collective, hash);
        for (var r = 1; r < collective.Size; r++)
            if (hashes[r] != hashes[0])
                throw new InvalidOperationException(
                    $"After epoch {epoch} rank {r}'s parameters differ from rank 0's: the collective's sums reached the ranks with " +
                    "different bits. Set GradientShards (to the number of ranks, or a multiple) to sum the gradients in a fixed order on every rank.");
    }

    /// <summary>Whether any rank passes true; every rank gets the same answer.</summary>
    public static bool Any(ICollective collective, bool mine) => RanksWhere(collective, mine).Length > 0;

    /// <summary>Every rank's <paramref name="mine"/>, in rank order; every rank gets the same array.</summary>
    public static double[] Gather(ICollective collective, ReadOnlySpan<double> mine)
    {
        // Each rank's values in a slot of their own, the others zero: the sum moves them, exactly, to every rank.
        var all = new double[mine.Length * collective.Size];
        mine.CopyTo(all.AsSpan(collective.Rank * mine.Length));
        collective.AllReduceSum(all);
        return all;
    }

    /// <summary>Every rank's <paramref name="mine"/> (a 64-bit hash), in rank order.</summary>
    public static ulong[] GatherHashes(ICollective collective, ulong mine)
    {
        // Two 32-bit halves per rank: exact in doubles.
        var halves = Gather(collective, [mine >> 32, (uint)mine]);
        return Enumerable.Range(0, collective.Size).Select(r => ((ulong)halves[2 * r] << 32) | (ulong)halves[2 * r + 1]).ToArray();
    }

    private static int[] RanksWhere(ICollective collective, bool mine)
    {
        var flags = Gather(collective, [mine ? 1 : 0]);
        return Enumerable.Range(0, flags.Length).Where(r => flags[r] > 0).ToArray();
    }

    // The first item of `mine` that rank 0 does not have, with rank 0's item of the same name.
    private static string FirstDifference(string mine, string root)
    {
        var rootItems = root.Split("; ");
        foreach (var item in mine.Split("; "))
        {
            if (rootItems.Contains(item))
                continue;
            var name = item.Split('=')[0];
            var theirs = rootItems.FirstOrDefault(i => i.Split('=')[0] == name);
            return theirs is null ? $"'{item}', which rank 0 lacks" : $"'{item}' where rank 0 has '{theirs}'";
        }
        return "rank 0 has more items";
    }
}
