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

    /// <summary>x ← σ(x) over a span: whole vectors, then the remainder one element at a time.</summary>
    public static void Sigmoid<T>(Span<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var full = x.Length - x.Length % Vector<T>.Count;
        for (var j = 0; j < full; j += Vector<T>.Count)
        {
            var s = x.Slice(j, Vector<T>.Count);
            Sigmoid(new Vector<T>(s)).CopyTo(s);
        }

        for (var j = full; j < x.Length; j++)
        {
            x[j] = T.One / (T.One + T.Exp(-x[j]));
        }
    }

    /// <summary>y ← tanh(x) over a span (y may be x).</summary>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var full = x.Length - x.Length % Vector<T>.Count;
        for (var j = 0; j < full; j += Vector<T>.Count)
        {
            Tanh(new Vector<T>(x.Slice(j, Vector<T>.Count))).CopyTo(y.Slice(j, Vector<T>.Count));
        }

        for (var j = full; j < x.Length; j++)
        {
            y[j] = T.Tanh(x[j]);
        }
    }
}
