using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Kernels;

/// <summary>The thread pool that splits kernels: every part runs exactly once per job, whoever claims it.</summary>
public class KernelThreadsTests
{
    // Counts, per job, how often each part ran; a part may be claimed by any thread. (Other test classes may change
    // the thread count meanwhile, which can lower the part count of a job: the count the job saw is checked.)
    private sealed class CountingJob : IKernelJob
    {
        private readonly int[] _runs = new int[KernelThreads.MaxThreads];
        private int _parts;

        public void Execute(int part, int parts)
        {
            var seen = Interlocked.CompareExchange(ref _parts, parts, 0);
            Assert.True(seen == 0 || seen == parts, $"one job saw {seen} and {parts} parts");
            Interlocked.Increment(ref _runs[part]);
        }

        public void AssertEveryPartRanOnce(int mostParts)
        {
            Assert.InRange(_parts, 1, mostParts);
            Assert.All(_runs.Take(_parts), runs => Assert.Equal(1, runs));
            Assert.All(_runs.Skip(_parts), runs => Assert.Equal(0, runs));
        }
    }

    private sealed class FailingJob : IKernelJob
    {
        public void Execute(int part, int parts)
        {
            if (part == parts - 1)
                throw new InvalidOperationException("part failed");
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(4, 3)]
    [InlineData(4, 4)]
    public void Every_part_of_every_job_runs_exactly_once(int threads, int parts)
    {
        using var scope = new ThreadCountScope(threads);
        for (var job = 0; job < 2000; job++)
        {
            var counting = new CountingJob();
            KernelThreads.Run(counting, parts);
            counting.AssertEveryPartRanOnce(parts);
        }
    }

    [Fact]
    public void Concurrent_callers_each_get_all_their_parts_run_once()
    {
        using var scope = new ThreadCountScope(2);
        Parallel.For(0, 4, _ =>
        {
            for (var job = 0; job < 1000; job++)
            {
                var counting = new CountingJob();
                KernelThreads.Run(counting, 2);
                counting.AssertEveryPartRanOnce(2);
            }
        });
    }

    [Fact]
    public void A_failing_part_surfaces_to_the_caller_and_the_pool_keeps_working()
    {
        using var scope = new ThreadCountScope(2);
        // The part's own exception, as when the caller runs every part itself (not wrapped).
        var failure = Record.Exception(() => KernelThreads.Run(new FailingJob(), 2));
        Assert.IsType<InvalidOperationException>(failure);
        var counting = new CountingJob();
        KernelThreads.Run(counting, 2);
        counting.AssertEveryPartRanOnce(2);
    }

    [Fact]
    public void The_thread_count_is_kept_between_one_and_the_claim_limit()
    {
        using var scope = new ThreadCountScope(0);
        Assert.Equal(1, KernelThreads.ThreadCount);
        KernelThreads.ThreadCount = 1000;
        Assert.Equal(KernelThreads.MaxThreads, KernelThreads.ThreadCount);
    }
}
