using MLNetBackprop.Engine.RowSources;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.RowSources;

/// <summary>Reading a pass of a stream ahead on a thread of its own, into a few chunks that circulate.</summary>
public class RowPrefetcherTests
{
    // Takes every chunk, recycling each, and returns the rows (targets) of each chunk.
    private static List<int[]> Chunks(RowPrefetcher prefetcher)
    {
        var chunks = new List<int[]>();
        while (prefetcher.Next() is { } chunk)
        {
            chunks.Add(chunk.Targets.AsSpan(0, chunk.Count).ToArray().Select(t => (int)t).ToArray());
            prefetcher.Recycle(chunk);
        }
        return chunks;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Chunks_come_in_the_streams_order_and_cover_every_row_once(bool sparse)
    {
        var set = NumberedRows.Create(47, 6, sparse);
        var stream = new TrainingSetStream(set);

        List<int[]> chunks;
        using (var prefetcher = new RowPrefetcher(stream, chunkRows: 5, sparse, shuffleSeed: null))
        {
            chunks = Chunks(prefetcher);
            Assert.Null(prefetcher.Next()); // and stays at the end
        }

        // Ten chunks through three circulating ones: each is handed back and filled again.
        Assert.Equal([5, 5, 5, 5, 5, 5, 5, 5, 5, 2], chunks.Select(c => c.Length));
        Assert.Equal(Enumerable.Range(0, 47), chunks.SelectMany(c => c));
        Assert.Equal(1, stream.PassesOpened);
        Assert.Equal(0, stream.OpenReaders);
    }

    [Fact]
    public void The_rows_of_a_chunk_hold_the_streams_features_and_weights()
    {
        var set = NumberedRows.Create(7, 4, sparse: true);
        using var prefetcher = new RowPrefetcher(new TrainingSetStream(set), chunkRows: 4, sparse: true, shuffleSeed: null);

        var chunk = prefetcher.Next()!;
        var second = chunk.Count - 1;

        Assert.Equal(set.SparseFeatures!.IndicesOf(second).ToArray(), chunk.IndicesOf(second).ToArray());
        Assert.Equal(set.SparseFeatures!.ValuesOf(second).ToArray(), chunk.ValuesOf(second).ToArray());
        Assert.Equal(set.Weights![second], chunk.Weights[second]);
    }

    [Fact]
    public void A_pass_whose_length_is_a_multiple_of_the_chunk_ends_without_an_empty_chunk()
    {
        var stream = new TrainingSetStream(NumberedRows.Create(12, 3, sparse: false));
        using var prefetcher = new RowPrefetcher(stream, chunkRows: 4, sparse: false, shuffleSeed: null);
        Assert.Equal([4, 4, 4], Chunks(prefetcher).Select(c => c.Length));
    }

    [Fact]
    public void A_shuffle_seed_is_handed_to_the_stream_which_gives_its_rows_in_that_order()
    {
        var stream = new TrainingSetStream(NumberedRows.Create(30, 3, sparse: false)) { CanShuffle = true };
        using var prefetcher = new RowPrefetcher(stream, chunkRows: 8, sparse: false, shuffleSeed: 17);

        var rows = Chunks(prefetcher).SelectMany(c => c).ToArray();

        Assert.Equal([17], stream.OpenedSeeds);
        Assert.Equal(Enumerable.Range(0, 30), rows.Order());
        Assert.NotEqual(Enumerable.Range(0, 30), rows);
    }

    [Fact]
    public void Disposing_before_the_end_stops_the_reader_and_closes_the_streams_pass()
    {
        const int rows = 100_000;
        var stream = new TrainingSetStream(NumberedRows.Create(rows, 2, sparse: false));
        var prefetcher = new RowPrefetcher(stream, chunkRows: 10, sparse: false, shuffleSeed: null);
        Assert.Equal(0f, prefetcher.Next()!.Targets[0]);

        prefetcher.Dispose();

        // Dispose waited for the reader, which had closed its pass; it had read no further than the chunks that
        // circulate (three here), never to the end.
        Assert.Equal(0, stream.OpenReaders);
        Assert.InRange(stream.RowsReadInPass(1), 10, 30);
    }

    [Fact]
    public void A_readers_exception_is_rethrown_from_Next_after_the_chunks_read_before_it()
    {
        var failure = new IOException("disk went away at row 13");
        var stream = new TrainingSetStream(NumberedRows.Create(40, 3, sparse: false))
        {
            FailOnPass = 1, FailAfterRows = 13, Failure = failure,
        };
        using var prefetcher = new RowPrefetcher(stream, chunkRows: 5, sparse: false, shuffleSeed: null);

        var delivered = new List<int>();
        var thrown = Assert.Throws<IOException>(() =>
        {
            while (prefetcher.Next() is { } chunk)
            {
                delivered.AddRange(chunk.Targets.AsSpan(0, chunk.Count).ToArray().Select(t => (int)t));
                prefetcher.Recycle(chunk);
            }
        });

        Assert.Same(failure, thrown);
        Assert.Equal(Enumerable.Range(0, 10), delivered); // the two whole chunks; the third failed part-way
        Assert.Equal(0, stream.OpenReaders);
    }
}
