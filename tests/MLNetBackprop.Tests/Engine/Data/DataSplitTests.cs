using MLNetBackprop.Engine.Data;

namespace MLNetBackprop.Tests.Engine.Data;

/// <summary>Hold-out splits of the training rows.</summary>
public class DataSplitTests
{
    [Fact]
    public void A_stratified_hold_out_keeps_each_class_fraction_and_is_fixed_by_the_seed()
    {
        // 90 rows of class 0 and 10 of class 1.
        var targets = Enumerable.Range(0, 100).Select(r => r < 90 ? 0f : 1f).ToArray();
        var data = new TrainingSet(Enumerable.Range(0, 100).Select(r => (float)r).ToArray(), targets, null, 1);
        var (train, validation) = DataSplit.HoldOut(data, 0.2f, stratify: true, seed: 3);
        Assert.Equal(80, train.RowCount);
        Assert.Equal(18, validation.Targets.Count(t => t == 0));
        Assert.Equal(2, validation.Targets.Count(t => t == 1));
        Assert.Empty(train.Features!.Intersect(validation.Features!));
        var again = DataSplit.HoldOut(data, 0.2f, stratify: true, seed: 3);
        Assert.Equal(validation.Features, again.Validation.Features);
        Assert.NotEqual(validation.Features, DataSplit.HoldOut(data, 0.2f, stratify: true, seed: 4).Validation.Features);
    }
}
