namespace RnnLab.Tasks;

/// <summary>Derives independent, reproducible seeds from a base seed and labels (SplitMix64), because
/// <see cref="HashCode"/> is randomised per process and would break run-to-run determinism.</summary>
public static class Seeds
{
    public static int Derive(long seed, long a, long b = 0) => (int)(Mix(Mix(Mix((ulong)seed) ^ (ulong)a) ^ (ulong)b) & 0x7fffffff);

    public static ulong Mix(ulong x)
    {
        x += 0x9e3779b97f4a7c15UL;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
        return x ^ (x >> 31);
    }
}
