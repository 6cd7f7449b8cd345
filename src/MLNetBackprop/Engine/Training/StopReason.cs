namespace MLNetBackprop.Engine.Training;

/// <summary>Why training ended.</summary>
internal enum StopReason
{
    /// <summary>All epochs ran.</summary>
    EpochLimit = 0,
    /// <summary>The monitored value stopped improving by the tolerance for the patience.</summary>
    NoImprovement = 1,
    /// <summary>The cancellation token was signalled.</summary>
    Cancelled = 2,
    /// <summary>L-BFGS found no descent step any more (the gradient vanished or the line search failed).</summary>
    Converged = 3,
}
