using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnLab.Models.Kernels;

/// <summary>
/// Row-major matrix × vector products for the managed step loops. Four rows share each load of x; a call per row
/// (a dot product each) cost more than the arithmetic at tens of columns.
/// </summary>
internal static class MatrixVector
{
    /// <summary>y[r] (+)= Σ_c m[r, c]·x[c] for a row-major m of y.Length rows and x.Length columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(ReadOnlySpan<T> m, ReadOnlySpan<T> x, Span<T> y, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rows = y.Length;
        var cols = x.Length;
        if (m.Length < rows * cols)
        {
            throw new ArgumentException($"A {rows}×{cols} matrix needs {rows * cols} elements, got {m.Length}.", nameof(m));
        }

        ref var m0 = ref MemoryMarshal.GetReference(m);
        ref var x0 = ref MemoryMarshal.GetReference(x);
        var width = Vector<T>.Count;
        var vectorCols = cols - cols % width;
        var r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            ref var a = ref Unsafe.Add(ref m0, r * cols);
            ref var b = ref Unsafe.Add(ref a, cols);
            ref var c = ref Unsafe.Add(ref b, cols);
            ref var d = ref Unsafe.Add(ref c, cols);
            Vector<T> sa = Vector<T>.Zero, sb = Vector<T>.Zero, sc = Vector<T>.Zero, sd = Vector<T>.Zero;
            for (var j = 0; j < vectorCols; j += width)
            {
                var offset = (nuint)j;
                var xv = Vector.LoadUnsafe(ref x0, offset);
                sa += Vector.LoadUnsafe(ref a, offset) * xv;
                sb += Vector.LoadUnsafe(ref b, offset) * xv;
                sc += Vector.LoadUnsafe(ref c, offset) * xv;
                sd += Vector.LoadUnsafe(ref d, offset) * xv;
            }

            T ta = Vector.Sum(sa), tb = Vector.Sum(sb), tc = Vector.Sum(sc), td = Vector.Sum(sd);
            for (var j = vectorCols; j < cols; j++)
            {
                var xj = Unsafe.Add(ref x0, j);
                ta += Unsafe.Add(ref a, j) * xj;
                tb += Unsafe.Add(ref b, j) * xj;
                tc += Unsafe.Add(ref c, j) * xj;
                td += Unsafe.Add(ref d, j) * xj;
            }

            Store(y, r, ta, accumulate);
            Store(y, r + 1, tb, accumulate);
            Store(y, r + 2, tc, accumulate);
            Store(y, r + 3, td, accumulate);
        }

        for (; r < rows; r++)
        {
            ref var a = ref Unsafe.Add(ref m0, r * cols);
            var sa = Vector<T>.Zero;
            for (var j = 0; j < vectorCols; j += width)
            {
                sa += Vector.LoadUnsafe(ref a, (nuint)j) * Vector.LoadUnsafe(ref x0, (nuint)j);
            }

            var ta = Vector.Sum(sa);
            for (var j = vectorCols; j < cols; j++)
            {
                ta += Unsafe.Add(ref a, j) * Unsafe.Add(ref x0, j);
            }

            Store(y, r, ta, accumulate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Span<T> y, int r, T value, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T> => y[r] = accumulate ? y[r] + value : value;
}
