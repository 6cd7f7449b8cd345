using MLNetBackprop.Engine.RowSources;
using MLNetBackprop.Engine.Training;
using MLNetBackprop.Tests.TestSupport;
using static MLNetBackprop.Tests.TestSupport.TrainingRuns;

namespace MLNetBackprop.Tests.Engine.Training;

/// <summary>A cancelled run stops between epochs and returns normally: the best epoch so far, or the untouched start.</summary>
public class CancellationTests
{
    [Fact]
    public void A_token_cancelled_after_an_epoch_stops_before_the_next_batch_and_returns_normally()
    {
        using var cancel = new CancellationTokenSource();
        var result = NetworkTrainer.Train(Noisy(40, 10), Overfitting(), new TrainingRunOptions
        {
            Cancellation = cancel.Token,
            OnEpoch = e => { if (e.Epoch == 3) cancel.Cancel(); },
        });
        Assert.Equal(StopReason.Cancelled, result.StopReason);
        Assert.Equal(3, result.History.Count);
    }

    [Fact]
    public void Cancelling_with_a_validation_set_returns_the_best_epoch_so_far()
    {
        using var cancel = new CancellationTokenSource();
        var validation = Noisy(200, 20);
        var result = NetworkTrainer.Train(Noisy(40, 10), Overfitting(), new TrainingRunOptions
        {
            Validation = new InMemoryRowSource(validation),
            Cancellation = cancel.Token,
            OnEpoch = e => { if (e.Epoch == 25) cancel.Cancel(); },
        });
        var losses = result.History.Select(h => h.ValidationLoss!.Value).ToList();
        Assert.Equal(losses.IndexOf(losses.Min()) + 1, result.BestEpoch);
        Assert.Equal(losses.Min(), LossOf(result.Network, validation), 1e-5);
    }

    [Fact]
    public void An_already_cancelled_token_returns_the_starting_parameters_untouched()
    {
        var start = TestData.Uniform(2 * 64 + 64 + 64 + 1, -0.1f, 0.1f, 5);
        var result = NetworkTrainer.Train(Noisy(40, 10), Overfitting(), new TrainingRunOptions
        {
            InitialParameters = start,
            Cancellation = new CancellationToken(canceled: true),
        });
        Assert.Empty(result.History);
        Assert.Equal(start, result.Network.Parameters.ToArray());
    }
}
