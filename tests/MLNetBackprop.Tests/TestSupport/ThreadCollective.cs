using MLNetBackprop.Engine.Collective;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>
/// Ranks as threads of one process, for engine tests of sharded training: each rank gets an <see cref="ICollective"/>
/// whose allreduce adds the ranks' values in rank order and whose broadcast copies the root's bytes. A rank that
/// throws breaks the barrier, so the others fail too instead of waiting forever.
/// </summary>
internal sealed class ThreadCollective : ICollective
{
    private readonly Hub _hub;

    private ThreadCollective(Hub hub, int rank) => (_hub, Rank) = (hub, rank);

    public int Rank { get; }
    public int Size => _hub.Size;

    /// <summary>Runs <paramref name="work"/> on <paramref name="size"/> ranks at once and returns each rank's result.</summary>
    public static T[] Run<T>(int size, Func<ICollective, T> work)
    {
        using var hub = new Hub(size);
        var results = new T[size];
        var errors = new Exception?[size];
        var threads = Enumerable.Range(0, size).Select(rank => new Thread(() =>
        {
            try
            {
                results[rank] = work(new ThreadCollective(hub, rank));
            }
            catch (Exception e)
            {
                errors[rank] = e;
                hub.Break();
            }
        }, maxStackSize: 16 << 20)).ToArray();
        foreach (var thread in threads)
            thread.Start();
        foreach (var thread in threads)
            thread.Join();
        if (errors.FirstOrDefault(e => e is not null and not BarrierPostPhaseException and not OperationCanceledException) is { } first)
            throw new AggregateException(first);
        if (errors.FirstOrDefault(e => e is not null) is { } any)
            throw new AggregateException(any);
        return results;
    }

    public void AllReduceSum(Span<float> values)
    {
        _hub.Slots[Rank] = values.ToArray();
        _hub.Wait();
        var total = new float[values.Length];
        for (var r = 0; r < Size; r++)
            for (var i = 0; i < total.Length; i++)
                total[i] += ((float[])_hub.Slots[r]!)[i];
        _hub.Wait();
        total.CopyTo(values);
    }

    public void AllReduceSum(Span<double> values)
    {
        _hub.Slots[Rank] = values.ToArray();
        _hub.Wait();
        var total = new double[values.Length];
        for (var r = 0; r < Size; r++)
            for (var i = 0; i < total.Length; i++)
                total[i] += ((double[])_hub.Slots[r]!)[i];
        _hub.Wait();
        total.CopyTo(values);
    }

    public void Broadcast(Span<byte> data, int root)
    {
        if (Rank == root)
            _hub.Slots[root] = data.ToArray();
        _hub.Wait();
        ((byte[])_hub.Slots[root]!).CopyTo(data);
        _hub.Wait();
    }

    private sealed class Hub(int size) : IDisposable
    {
        private readonly Barrier _barrier = new(size);
        private readonly CancellationTokenSource _broken = new();

        public int Size { get; } = size;
        public object?[] Slots { get; } = new object?[size];

        public void Wait() => _barrier.SignalAndWait(_broken.Token);

        public void Break() => _broken.Cancel();

        public void Dispose()
        {
            _barrier.Dispose();
            _broken.Dispose();
        }
    }
}
