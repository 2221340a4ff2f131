namespace RnnLab.Sweeps.Sampling;

/// <summary>
/// A small SplitMix64 generator. Ours rather than System.Random so that a seed gives the same sweep on every
/// runtime version; keyed by (seed, stream) so proposal n can be drawn without replaying proposals 0…n−1.
/// </summary>
public sealed class SeededRandom(long seed, long stream = 0)
{
    private ulong _state = Mix((ulong)seed ^ Mix((ulong)stream + 0x632BE59BD9B4E019UL));

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform on [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public int NextInt(int exclusiveMax) => (int)(NextDouble() * exclusiveMax);

    public double NextNormal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
