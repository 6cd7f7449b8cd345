namespace MLNetBackprop.Engine.Kernels;

/// <summary>
/// Keeps optimizer moments out of the subnormal range. A moment whose gradient has gone to zero (a dead unit, an
/// input that is zero in every recent batch) decays geometrically, β·m, and after some hundreds of steps becomes
/// subnormal; on x86 every instruction that reads or writes a subnormal float then takes a microcode assist of
/// a hundred cycles or more, which makes a whole optimizer step several times slower. A moment below
/// <see cref="FlushBelow"/> in magnitude is set to zero instead: its contribution to any step,
/// rate·m/(√v + ε), is below 1e-20 and lost against a float32 parameter anyway. NaN and infinity pass unchanged,
/// so divergence is still detected.
/// </summary>
internal static class DecayingMoment
{
    /// <summary>Magnitude below which a stored moment becomes zero: far below any meaningful value, and far enough
    /// above float's smallest normal (1.2e-38) that rate·m of any practical learning rate stays normal.</summary>
    public const float FlushBelow = 1e-30f;

    /// <summary><paramref name="moment"/>, or zero when its magnitude is below <see cref="FlushBelow"/>.</summary>
    public static float Flush(float moment) => MathF.Abs(moment) < FlushBelow ? 0f : moment;
}
