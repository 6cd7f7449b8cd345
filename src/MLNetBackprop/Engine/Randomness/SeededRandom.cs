using System.Numerics;

namespace MLNetBackprop.Engine.Randomness;

/// <summary>
/// xoshiro256** pseudo-random generator, seeded through SplitMix64. Its output is fixed by this code (unlike
/// <see cref="Random"/>), and its whole state can be saved and restored, so training can be reproduced and resumed.
/// </summary>
internal sealed class SeededRandom
{
    /// <summary>Number of 64-bit words in the state.</summary>
    public const int StateLength = 4;

    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator whose sequence is determined by <paramref name="seed"/>.</summary>
    public SeededRandom(long seed) => Reseed(seed);

    /// <summary>Restarts the generator on the sequence <paramref name="seed"/> determines, as a new one would.</summary>
    public void Reseed(long seed)
    {
        // SplitMix64 spreads any seed (0 included) over the full state; xoshiro must not start all-zero.
        var x = unchecked((ulong)seed);
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    private SeededRandom() { }

    /// <summary>Copies the state (<see cref="StateLength"/> words) into <paramref name="destination"/>.</summary>
    public void SaveState(Span<ulong> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, StateLength, nameof(destination));
        destination[0] = _s0;
        destination[1] = _s1;
        destination[2] = _s2;
        destination[3] = _s3;
    }

    /// <summary>Recreates a generator from a state written by <see cref="SaveState"/>.</summary>
    /// <exception cref="ArgumentException">The state is too short or all zero (not a state xoshiro can reach).</exception>
    public static SeededRandom FromState(ReadOnlySpan<ulong> state)
    {
        if (state.Length < StateLength)
            throw new ArgumentException($"A generator state has {StateLength} words; {state.Length} were given.", nameof(state));
        if ((state[0] | state[1] | state[2] | state[3]) == 0)
            throw new ArgumentException("An all-zero generator state is invalid.", nameof(state));
        return new SeededRandom { _s0 = state[0], _s1 = state[1], _s2 = state[2], _s3 = state[3] };
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform float in [0, 1) with 24 random bits (every value a multiple of 2⁻²⁴).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), without modulo bias.</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bound, 1);
        // Lemire's multiply-shift: take the high word of a 32×32 product, rejecting the few low words that would
        // make some results more likely than others.
        var range = (uint)bound;
        var product = (ulong)(uint)(NextUInt64() >> 32) * range;
        var low = (uint)product;
        if (low < range)
        {
            var threshold = (uint)(-(int)range) % range;
            while (low < threshold)
            {
                product = (ulong)(uint)(NextUInt64() >> 32) * range;
                low = (uint)product;
            }
        }
        return (int)(product >> 32);
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher–Yates), every permutation equally likely.</summary>
    public void Shuffle(Span<int> values)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static ulong SplitMix64(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
