using System.Numerics;

namespace RnnLab.Sweeps.Sampling;

/// <summary>
/// A scrambled Sobol' sequence: Joe–Kuo direction numbers (new-joe-kuo-6.21201), a random linear matrix scramble
/// plus a digital shift per dimension. Both keep the sequence's net structure; point n is computed directly.
/// </summary>
public sealed class SobolSequence
{
    private const int Bits = 32;

    // (degree s, polynomial coefficients a, initial direction numbers m) for dimensions 2…20.
    private static readonly (int S, uint A, uint[] M)[] _primitives =
    [
        (1, 0, [1]), (2, 1, [1, 3]), (3, 1, [1, 3, 1]), (3, 2, [1, 1, 1]), (4, 1, [1, 1, 3, 3]),
        (4, 4, [1, 3, 5, 13]), (5, 2, [1, 1, 5, 5, 17]), (5, 4, [1, 1, 5, 5, 5]), (5, 7, [1, 1, 7, 11, 19]),
        (5, 11, [1, 1, 5, 1, 1]), (5, 13, [1, 1, 1, 3, 11]), (5, 14, [1, 3, 5, 5, 31]),
        (6, 1, [1, 3, 3, 9, 7, 49]), (6, 13, [1, 1, 1, 15, 21, 21]), (6, 16, [1, 3, 1, 13, 27, 49]),
        (6, 19, [1, 1, 1, 15, 7, 5]), (6, 22, [1, 3, 1, 15, 13, 25]), (6, 25, [1, 1, 5, 5, 19, 61]),
        (7, 1, [1, 3, 7, 11, 23, 15, 103]),
    ];

    public static int MaxDimensions => _primitives.Length + 1;

    private readonly uint[][] _directions;
    private readonly uint[] _shifts;

    public SobolSequence(int dimensions, long seed, bool scramble = true)
    {
        if (dimensions < 1 || dimensions > MaxDimensions)
        {
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, $"Sobol' supports 1…{MaxDimensions} dimensions");
        }

        Dimensions = dimensions;
        var random = new SeededRandom(seed, stream: -1);
        _directions = new uint[dimensions][];
        _shifts = new uint[dimensions];
        for (var d = 0; d < dimensions; d++)
        {
            var directions = DirectionNumbers(d);
            if (scramble)
            {
                directions = Scramble(directions, random);
                _shifts[d] = (uint)random.NextUInt64();
            }

            _directions[d] = directions;
        }
    }

    public int Dimensions { get; }

    /// <summary>Point <paramref name="index"/> of the sequence, each coordinate in [0, 1).</summary>
    public double[] Point(long index)
    {
        if (index < 0 || index >= 1L << Bits)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        var point = new double[Dimensions];
        for (var d = 0; d < Dimensions; d++)
        {
            var x = _shifts[d];
            var rest = (ulong)index;
            for (var bit = 0; rest != 0; bit++, rest >>= 1)
            {
                if ((rest & 1) != 0)
                {
                    x ^= _directions[d][bit];
                }
            }

            point[d] = x / 4294967296.0;
        }

        return point;
    }

    private static uint[] DirectionNumbers(int dimension)
    {
        var v = new uint[Bits];
        if (dimension == 0)
        {
            for (var k = 0; k < Bits; k++)
            {
                v[k] = 1u << (Bits - 1 - k);
            }

            return v;
        }

        var (s, a, m0) = _primitives[dimension - 1];
        var m = new uint[Bits];
        Array.Copy(m0, m, s);
        for (var k = s; k < Bits; k++)
        {
            var value = m[k - s] ^ (m[k - s] << s);
            for (var j = 1; j < s; j++)
            {
                if (((a >> (s - 1 - j)) & 1) != 0)
                {
                    value ^= m[k - j] << j;
                }
            }

            m[k] = value;
        }

        for (var k = 0; k < Bits; k++)
        {
            v[k] = m[k] << (Bits - 1 - k);
        }

        return v;
    }

    /// <summary>Multiplies each direction number by a random unit lower-triangular matrix over GF(2).</summary>
    private static uint[] Scramble(uint[] directions, SeededRandom random)
    {
        // Row r (digit r, counted from the most significant) has its diagonal bit and random more-significant bits.
        var rows = new uint[Bits];
        for (var r = 0; r < Bits; r++)
        {
            var diagonal = 1u << (Bits - 1 - r);
            var above = r == 0 ? 0u : ~((diagonal << 1) - 1);
            rows[r] = diagonal | ((uint)random.NextUInt64() & above);
        }

        var scrambled = new uint[Bits];
        for (var k = 0; k < Bits; k++)
        {
            uint result = 0;
            for (var r = 0; r < Bits; r++)
            {
                if ((BitOperations.PopCount(rows[r] & directions[k]) & 1) != 0)
                {
                    result |= 1u << (Bits - 1 - r);
                }
            }

            scrambled[k] = result;
        }

        return scrambled;
    }
}
