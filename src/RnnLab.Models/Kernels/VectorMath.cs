using System.Numerics;
using System.Runtime.CompilerServices;

namespace RnnLab.Models.Kernels;

/// <summary>The activations of the managed step loops on SIMD vectors of float or double.</summary>
internal static class VectorMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Exp<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector.As<float, T>(Vector.Exp(Vector.As<T, float>(x)));
        }

        if (typeof(T) == typeof(double))
        {
            return Vector.As<double, T>(Vector.Exp(Vector.As<T, double>(x)));
        }

        throw new NotSupportedException($"No vector exp for {typeof(T).Name}.");
    }

    /// <summary>σ(x) = 1 / (1 + e^−x); saturates to 0 and 1 without overflow trouble (1/∞ = 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Sigmoid<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Vector<T>.One / (Vector<T>.One + Exp(-x));

    /// <summary>tanh(x) = sign(x)·(1 − e^−2|x|) / (1 + e^−2|x|); the exponential never overflows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Tanh<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var e = Exp(Vector.Abs(x) * new Vector<T>(T.CreateTruncating(-2)));
        return Vector.CopySign((Vector<T>.One - e) / (Vector<T>.One + e), x);
    }
}
