using System.Globalization;
using MLNetBackprop.Mpi;

// Usage (under mpiexec): MLNetBackprop.MpiProbe <size|allreduce|broadcast|throw|killself|restart>
//   size       each rank prints "rank R of S"
//   allreduce  each rank fills a float and a double span from its rank, allreduces them in place and checks the sums;
//              also checks that a call allocates nothing; the root prints "allreduce ok"
//   broadcast  the last rank broadcasts a byte pattern, every rank checks it and prints "rank R broadcast ok"
//   throw      rank 1 throws; the top level catches it and aborts the job (MpiCluster.Abort) while the others wait
//   killself   rank 1 kills itself (SIGKILL) while the others wait in an allreduce
//   restart    (one rank) a second Start while one is live, then a Start after Dispose: both must fail clearly
//   train ...  an ML.NET pipeline trained on the job's ranks (TrainingProbe: its arguments, and "mismatch")
// Exit code 0: the mode's checks passed; 1: a check failed (printed); 2: usage.
if (args.Length == 0 || (args.Length != 1 && args[0] is not ("train" or "mismatch")))
{
    Console.Error.WriteLine("usage: MLNetBackprop.MpiProbe <size|allreduce|broadcast|throw|killself|restart|train ...|mismatch ...>");
    return 2;
}

using var cluster = MpiCluster.Start();
// The trainer aborts the job itself when training fails on a rank; the probe's own steps around it abort here.
if (args[0] is "train" or "mismatch")
{
    try
    {
        return TrainingProbe.Run(cluster, args) ? 0 : 1;
    }
    catch (Exception ex)
    {
        cluster.Abort(3, $"{ex.GetType().Name}: {ex.Message}");
        return 3;
    }
}
try
{
    var ok = args[0] switch
    {
        "size" => Size(cluster),
        "allreduce" => AllReduce(cluster),
        "broadcast" => Broadcast(cluster),
        "throw" => Throw(cluster),
        "killself" => KillSelf(cluster),
        "restart" => Restart(cluster),
        _ => throw new ArgumentException($"unknown mode {args[0]}"),
    };
    return ok ? 0 : 1;
}
catch (Exception ex)
{
    cluster.Abort(3, $"{ex.GetType().Name}: {ex.Message}");
    return 3;
}

static bool Size(MpiCluster cluster)
{
    Console.WriteLine($"rank {cluster.Rank} of {cluster.Size}{(cluster.IsRoot ? " (root)" : "")}");
    return true;
}

static bool AllReduce(MpiCluster cluster)
{
    // Values and sums are small integers and quarters: exact in float and double whatever order MPI adds them in.
    const int Length = 1 << 20;
    var floats = new float[Length];
    var doubles = new double[Length];
    Fill(cluster.Rank, floats, doubles);
    cluster.AllReduceSum(floats);
    cluster.AllReduceSum(doubles);
    var ok = Check(cluster, floats, doubles);

    // Again, measuring what the calls allocate (after the first calls compiled and resolved everything).
    Fill(cluster.Rank, floats, doubles);
    var before = GC.GetAllocatedBytesForCurrentThread();
    cluster.AllReduceSum(floats);
    cluster.AllReduceSum(doubles.AsSpan());
    var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
    ok &= Check(cluster, floats, doubles);
    if (allocated != 0)
    {
        Console.WriteLine($"rank {cluster.Rank}: the allreduce calls allocated {allocated} bytes");
        ok = false;
    }

    // Every rank's verdict, summed: the root reports for the job.
    Span<double> failures = [ok ? 0 : 1];
    cluster.AllReduceSum(failures);
    if (cluster.IsRoot)
        Console.WriteLine(failures[0] == 0
            ? $"allreduce ok: {cluster.Size} ranks, float[1] = {F(floats[1])}, double[last] = {F(doubles[^1])}"
            : $"allreduce failed on {failures[0]} ranks");
    return failures[0] == 0;
}

static void Fill(int rank, float[] floats, double[] doubles)
{
    for (var i = 0; i < floats.Length; i++)
    {
        floats[i] = rank + (i % 1000) * 0.25f;
        doubles[i] = (rank + 1) * (i + 0.25);
    }
}

static bool Check(MpiCluster cluster, float[] floats, double[] doubles)
{
    var size = cluster.Size;
    var rankSum = size * (size - 1) / 2;
    for (var i = 0; i < floats.Length; i++)
    {
        var expectedFloat = rankSum + size * ((i % 1000) * 0.25f);
        var expectedDouble = size * (size + 1) / 2 * (i + 0.25);
        if (floats[i] != expectedFloat || doubles[i] != expectedDouble)
        {
            Console.WriteLine($"rank {cluster.Rank}: at {i} float {F(floats[i])} (expected {F(expectedFloat)}), " +
                $"double {F(doubles[i])} (expected {F(expectedDouble)})");
            return false;
        }
    }
    return true;
}

static bool Broadcast(MpiCluster cluster)
{
    var root = cluster.Size - 1;
    var data = new byte[100_003];
    if (cluster.Rank == root)
        for (var i = 0; i < data.Length; i++)
            data[i] = (byte)(i * 7 + 3);
    cluster.Broadcast(data, root);
    for (var i = 0; i < data.Length; i++)
        if (data[i] != (byte)(i * 7 + 3))
        {
            Console.WriteLine($"rank {cluster.Rank}: broadcast byte {i} is {data[i]}");
            return false;
        }
    try
    {
        cluster.Broadcast(data, cluster.Size);
        Console.WriteLine($"rank {cluster.Rank}: a broadcast from rank {cluster.Size} did not throw");
        return false;
    }
    catch (ArgumentOutOfRangeException)
    {
    }
    cluster.Barrier();
    Console.WriteLine($"rank {cluster.Rank} broadcast ok");
    return true;
}

static bool Throw(MpiCluster cluster)
{
    if (cluster.Rank == 1)
        throw new InvalidOperationException("bad data in this rank's shard");
    cluster.Barrier();   // waits for rank 1, which never comes: the abort ends this rank
    Console.WriteLine($"rank {cluster.Rank}: the barrier returned");
    return false;
}

static bool KillSelf(MpiCluster cluster)
{
    if (cluster.Rank == 1)
    {
        Console.WriteLine("rank 1: killing itself");
        System.Diagnostics.Process.GetCurrentProcess().Kill();
    }
    Span<float> values = [1f];
    cluster.AllReduceSum(values);   // waits for rank 1, which is gone: mpiexec ends the job
    Console.WriteLine($"rank {cluster.Rank}: the allreduce returned");
    return false;
}

static bool Restart(MpiCluster cluster)
{
    var ok = true;
    try
    {
        using var second = MpiCluster.Start();
        Console.WriteLine("a second Start while one is live did not throw");
        ok = false;
    }
    catch (InvalidOperationException ex)
    {
        Console.WriteLine($"second Start: {ex.Message}");
    }
    cluster.Dispose();
    cluster.Dispose();   // idempotent
    try
    {
        using var again = MpiCluster.Start();
        Console.WriteLine("a Start after Dispose did not throw");
        ok = false;
    }
    catch (InvalidOperationException ex)
    {
        Console.WriteLine($"Start after Dispose: {ex.Message}");
    }
    try
    {
        cluster.Barrier();
        Console.WriteLine("a Barrier after Dispose did not throw");
        ok = false;
    }
    catch (ObjectDisposedException)
    {
        Console.WriteLine("Barrier after Dispose: ObjectDisposedException");
    }
    return ok;
}

static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
