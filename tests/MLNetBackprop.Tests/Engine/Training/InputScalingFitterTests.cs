using MLNetBackprop.Engine.Data;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.Engine.RowSources;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;

namespace MLNetBackprop.Tests.Engine.Training;

public class InputScalingFitterTests
{
    // Row-major rows from columns of equal length.
    private static TrainingSet Dense(params float[][] columns)
    {
        var rows = columns[0].Length;
        var features = new float[rows * columns.Length];
        for (var r = 0; r < rows; r++)
            for (var j = 0; j < columns.Length; j++)
                features[r * columns.Length + j] = columns[j][r];
        return new TrainingSet(features, new float[rows], null, columns.Length);
    }

    private static InputScaling Fit(TrainingSet set) => InputScalingFitter.Fit(new InMemoryRowSource(set))!;

    [Fact]
    public void The_center_is_the_median_and_the_factor_the_inverse_interquartile_range()
    {
        // 1..9 shuffled: quartiles 3 and 7 (NumPy's linear interpolation), median 5.
        var scaling = Fit(Dense([4, 9, 1, 7, 3, 8, 2, 6, 5], [0, 1, 2, 3, 4, 5, 6, 7, 10]));
        Assert.Equal(5f, scaling.Centers[0]);
        Assert.Equal(0.25f, scaling.Factors[0]);
        Assert.Equal(4f, scaling.Centers[1]);
        Assert.Equal(1 / 4f, scaling.Factors[1]); // quartiles 2 and 6
    }

    [Fact]
    public void A_zero_interquartile_range_falls_back_to_half_the_range_and_a_constant_feature_to_zero()
    {
        var scaling = Fit(Dense([0, 0, 0, 0, 0, 0, 10], [3, 3, 3, 3, 3, 3, 3]));
        Assert.Equal(0f, scaling.Centers[0]);
        Assert.Equal(0.2f, scaling.Factors[0]);
        Assert.Equal(3f, scaling.Centers[1]);
        Assert.Equal(0f, scaling.Factors[1]);
    }

    [Fact]
    public void Sparse_rows_are_not_centered_and_their_zeros_count_in_the_spread()
    {
        float[][] columns = [[0, 2, 0, 4, 6, 0, 8, 0, 1], [0, 0, 0, 0, 5, 0, 0, 0, -5]];
        var dense = Fit(Dense(columns));
        var set = Dense(columns);
        var sparse = Fit(new TrainingSet(SparseRows.FromDense(set.Features!, 2), set.Targets, null));
        Assert.False(sparse.IsCentered);
        Assert.Equal(dense.Factors.ToArray(), sparse.Factors.ToArray());
    }

    [Fact]
    public void Many_rows_are_sampled_evenly_and_the_fit_is_deterministic()
    {
        const int rows = 3 * InputScalingFitter.SampleRows + 17;
        var column = Enumerable.Range(0, rows).Select(i => (float)i).ToArray();
        var first = Fit(Dense(column));
        var second = Fit(Dense(column));
        Assert.Equal(first.Centers.ToArray(), second.Centers.ToArray());
        Assert.Equal(first.Factors.ToArray(), second.Factors.ToArray());
        Assert.Equal(rows / 2f, first.Centers[0], rows * 0.002f);
        Assert.Equal(2f / rows, first.Factors[0], 2e-6f);
    }

    [Fact]
    public void Only_outside_the_unit_range_leaves_rows_within_it_unscaled_and_scales_the_rest()
    {
        float[][] within = [[0, 0.5f, 0, -1, 0, 0.25f], [1, 0, 0, 0, 0.75f, 0]];
        var set = Dense(within);
        Assert.Null(InputScalingFitter.Fit(new InMemoryRowSource(set), onlyOutsideUnitRange: true));
        Assert.NotNull(InputScalingFitter.Fit(new InMemoryRowSource(set)));
        float[][] beyond = [[0, 0.5f, 0, -1, 0, 0.25f], [1, 0, 0, 0, 1.5f, 0]];
        var sparse = Dense(beyond);
        Assert.NotNull(InputScalingFitter.Fit(new InMemoryRowSource(new TrainingSet(SparseRows.FromDense(sparse.Features!, 2), sparse.Targets, null)),
            onlyOutsideUnitRange: true));
    }

    private static (PiecewiseLinearEncoding? Encoding, InputScaling? Scaling) FitEncoded(TrainingSet set, int bins, int limit = int.MaxValue, bool scale = true)
        => InputScalingFitter.FitEncoded(new InMemoryRowSource(set), bins, limit, scale);

    [Fact]
    public void A_numeric_encoding_puts_its_edges_at_the_quantiles_and_skips_flags_and_constants()
    {
        // 0..8 shuffled: quantiles 0, 2, 4, 6, 8 for 4 bins.
        var (encoding, scaling) = FitEncoded(Dense([4, 8, 1, 7, 3, 0, 2, 6, 5], [0, 1, 0, 1, 1, 0, 0, 1, 0], [3, 3, 3, 3, 3, 3, 3, 3, 3]), 4);
        Assert.Equal([0, 0, 0, 0], encoding!.Features.ToArray());
        Assert.Equal([0f, 2f, 4f, 6f], encoding.Offsets.ToArray());
        Assert.Equal([0.5f, 0.5f, 0.5f, 0.5f], encoding.Factors.ToArray());
        Assert.Equal(7, scaling!.FeatureCount);
    }

    [Fact]
    public void Repeated_quantiles_merge_into_fewer_bins()
    {
        // Quantiles 0, 0, 0, 1, 3: edges 0, 1, 3.
        var (encoding, _) = FitEncoded(Dense([0, 0, 0, 0, 0, 0, 1, 2, 3]), 4);
        Assert.Equal([0f, 1f], encoding!.Offsets.ToArray());
        Assert.Equal([1f, 0.5f], encoding.Factors.ToArray());
    }

    [Fact]
    public void No_encoding_is_fitted_where_no_feature_has_three_values_or_the_bins_exceed_the_limit()
    {
        var flags = Dense([0, 1, 0, 1, 1], [2, 2, 2, 2, 2]);
        Assert.Null(FitEncoded(flags, 8).Encoding);
        var numbers = Dense([4, 8, 1, 7, 3, 0, 2, 6, 5]);
        var (encoding, scaling) = FitEncoded(numbers, 4, limit: 3);
        Assert.Null(encoding);
        Assert.Equal(1, scaling!.FeatureCount);
        Assert.Null(FitEncoded(numbers, 4, scale: false).Scaling);
    }

    [Fact]
    public void The_scaling_of_an_encoded_row_is_fitted_as_on_the_encoded_rows_themselves()
    {
        const int rows = 500;
        var features = TestData.Uniform(rows * 2, -3, 5, 21);
        var set = new TrainingSet(features, new float[rows], null, 2);
        var (encoding, scaling) = FitEncoded(set, 8);
        var encoded = new float[rows * encoding!.EncodedCount];
        encoding.Apply(features, encoded, rows);
        var direct = Fit(new TrainingSet(encoded, new float[rows], null, encoding.EncodedCount));
        Assert.Equal(direct.Centers.ToArray(), scaling!.Centers.ToArray());
        Assert.Equal(direct.Factors.ToArray(), scaling.Factors.ToArray());
        Assert.Equal(16, encoding.BinCount);
    }

    [Fact]
    public void Sparse_rows_cannot_be_encoded()
    {
        var set = Dense([0, 2, 0, 4, 6, 0, 8, 0, 1]);
        var sparse = new TrainingSet(SparseRows.FromDense(set.Features!, 1), set.Targets, null);
        Assert.Throws<ArgumentException>(() => FitEncoded(sparse, 4));
    }
}
