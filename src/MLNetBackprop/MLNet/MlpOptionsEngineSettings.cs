using MLNetBackprop.Engine.Kernels;
using MLNetBackprop.Engine.Layers;
using MLNetBackprop.Engine.Optimizers;
using MLNetBackprop.Engine.Training;



namespace MLNetBackprop;

public abstract partial class MlpOptionsBase
{
    /// <summary>These options as the engine's training settings, for a loss, output count, epoch limit and seed the trainer decided.</summary>
    internal TrainingSettings ToTrainingSettings(LossKind loss, int outputCount, int epochs, int seed, float huberDelta)
        => new()
        {
            HiddenLayerSizes = HiddenLayerSizes,
            HiddenActivation = ToEngine(Activation),
            Loss = loss,
            OutputCount = outputCount,
            HuberDelta = huberDelta,
            Optimizer = Optimizer switch
            {
                MlpOptimizer.Sgd => OptimizerKind.Sgd,
                MlpOptimizer.RmsProp => OptimizerKind.RmsProp,
                MlpOptimizer.Lbfgs => OptimizerKind.Lbfgs,
                _ => OptimizerKind.Adam,
            },
            LearningRate = LearningRate,
            Momentum = Momentum,
            Nesterov = NesterovMomentum,
            Beta1 = Beta1,
            Beta2 = Beta2,
            Epsilon = Epsilon,
            RmsPropDecay = RmsPropDecay,
            WeightDecay = ResolveWeightDecay(),
            GradientClipNorm = GradientClipNorm,
            DropoutRates = DropoutRates,
            Schedule = (LearningRateScheduleKind)LearningRateSchedule,
            InverseScalingPower = InverseScalingPower,
            DecayFactor = LearningRateDecayFactor,
            DecayStepEpochs = LearningRateStepEpochs,
            PlateauPatience = PlateauPatience,
            MinimumLearningRate = MinimumLearningRate,
            WarmupEpochs = WarmupEpochs,
            StoppingMetric = EarlyStoppingMetric == MlpEarlyStoppingMetric.Accuracy ? StoppingMetric.Accuracy : StoppingMetric.Loss,
            LbfgsHistorySize = LbfgsHistorySize,
            L2 = L2Regularization,
            BatchSize = BatchSize,
            MaxEpochs = epochs,
            Tolerance = Tolerance,
            EpochsWithoutImprovement = EpochsWithoutImprovement,
            Shuffle = Shuffle,
            Seed = seed,
        };

    static ActivationKind ToEngine(MlpActivation activation) => activation switch
    {
        MlpActivation.Relu => ActivationKind.Relu,
        MlpActivation.LeakyRelu => ActivationKind.LeakyRelu,
        MlpActivation.Tanh => ActivationKind.Tanh,
        MlpActivation.Sigmoid => ActivationKind.Sigmoid,
        MlpActivation.Gelu => ActivationKind.Gelu,
        _ => ActivationKind.Identity,
    };
}
