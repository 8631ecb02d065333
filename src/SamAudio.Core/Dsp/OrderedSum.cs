using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SamAudio.Core.Dsp;

/// <summary>
/// Reductions (dot product, Euclidean norm) whose result depends only on the values, never on where the span sits
/// in memory or on the machine's vector width. Hand-written on purpose: <c>TensorPrimitives.Dot</c> and
/// <c>Norm</c> align their loads to the vector size, so the grouping of the partial sums, and with it the last bits
/// of the result, follow the span's address; a garbage collection or a different read pattern then changes the
/// output of a run (seen: the same batch gave different resampled bytes from run to run).
/// <para>
/// Element <c>i</c> always goes to accumulator lane <c>i % 16</c> (two 8-lane vectors), products and sums are
/// separate IEEE operations (no fused multiply-add, which only some CPUs have), and the lanes are folded in one
/// fixed order. The result is therefore the same on every x64 and Arm CPU, with or without AVX2 or AVX-512.
/// </para>
/// </summary>
public static class OrderedSum
{
    private const int Lanes = 8;

    /// <summary>Sum of <c>x[i] * y[i]</c>, in the fixed order described on the class.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"Both spans must have the same length ({x.Length} and {y.Length}).", nameof(y));
        }

        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        int i = 0;
        for (; i + (2 * Lanes) <= x.Length; i += 2 * Lanes)
        {
            acc0 += Vector256.Create(x.Slice(i, Lanes)) * Vector256.Create(y.Slice(i, Lanes));
            acc1 += Vector256.Create(x.Slice(i + Lanes, Lanes)) * Vector256.Create(y.Slice(i + Lanes, Lanes));
        }

        return Fold(acc0, acc1, ref Unsafe.Add(ref MemoryMarshal.GetReference(x), i), ref Unsafe.Add(ref MemoryMarshal.GetReference(y), i), x.Length - i);
    }

    /// <summary>Euclidean norm, <c>sqrt(Dot(x, x))</c>.</summary>
    public static float Norm(ReadOnlySpan<float> x) => MathF.Sqrt(Dot(x, x));

    /// <summary>
    /// Four dot products of <paramref name="length"/> elements, <c>x[xOffsets[j] ..]</c> with <c>y[yOffsets[j] ..]</c>,
    /// each in exactly <see cref="Dot"/>'s order, so each result is the same bits as a call of <see cref="Dot"/>.
    /// Computed together because one dot product's two accumulators wait on the adder's latency while four keep it
    /// busy: the resampler's inner loop (measured in <c>docs/benchmarks.md</c>, throughput table).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A span would run past the end of its source.</exception>
    public static Vector128<float> Dot4(ReadOnlySpan<float> x, Vector128<int> xOffsets, ReadOnlySpan<float> y, Vector128<int> yOffsets, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        for (int j = 0; j < 4; j++)
        {
            if ((uint)xOffsets[j] > (uint)(x.Length - length) || (uint)yOffsets[j] > (uint)(y.Length - length))
            {
                throw new ArgumentOutOfRangeException(nameof(length), $"Dot product {j} of {length} elements runs past its spans.");
            }
        }

        ref float x0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), xOffsets[0]);
        ref float x1 = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), xOffsets[1]);
        ref float x2 = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), xOffsets[2]);
        ref float x3 = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), xOffsets[3]);
        ref float y0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), yOffsets[0]);
        ref float y1 = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), yOffsets[1]);
        ref float y2 = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), yOffsets[2]);
        ref float y3 = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), yOffsets[3]);
        Vector256<float> a0 = default, b0 = default, a1 = default, b1 = default, a2 = default, b2 = default, a3 = default, b3 = default;
        nuint i = 0, end = (nuint)(length - (length % (2 * Lanes)));
        for (; i < end; i += 2 * Lanes)
        {
            a0 += Vector256.LoadUnsafe(ref x0, i) * Vector256.LoadUnsafe(ref y0, i);
            b0 += Vector256.LoadUnsafe(ref x0, i + Lanes) * Vector256.LoadUnsafe(ref y0, i + Lanes);
            a1 += Vector256.LoadUnsafe(ref x1, i) * Vector256.LoadUnsafe(ref y1, i);
            b1 += Vector256.LoadUnsafe(ref x1, i + Lanes) * Vector256.LoadUnsafe(ref y1, i + Lanes);
            a2 += Vector256.LoadUnsafe(ref x2, i) * Vector256.LoadUnsafe(ref y2, i);
            b2 += Vector256.LoadUnsafe(ref x2, i + Lanes) * Vector256.LoadUnsafe(ref y2, i + Lanes);
            a3 += Vector256.LoadUnsafe(ref x3, i) * Vector256.LoadUnsafe(ref y3, i);
            b3 += Vector256.LoadUnsafe(ref x3, i + Lanes) * Vector256.LoadUnsafe(ref y3, i + Lanes);
        }

        int tail = length - (int)end;
        return Vector128.Create(
            Fold(a0, b0, ref Unsafe.Add(ref x0, end), ref Unsafe.Add(ref y0, end), tail),
            Fold(a1, b1, ref Unsafe.Add(ref x1, end), ref Unsafe.Add(ref y1, end), tail),
            Fold(a2, b2, ref Unsafe.Add(ref x2, end), ref Unsafe.Add(ref y2, end), tail),
            Fold(a3, b3, ref Unsafe.Add(ref x3, end), ref Unsafe.Add(ref y3, end), tail));
    }

    /// <summary>
    /// Adds the tail's products to lanes 0, 1, ... and folds the 16 lanes pairwise: (0+8), (1+9), ... then halves
    /// again, always in this order. The lanes start at +0 and so are never -0: adding +0 to the lanes the tail does
    /// not reach leaves them as they are.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Fold(Vector256<float> low, Vector256<float> high, ref float x, ref float y, int tail)
    {
        if (tail > 0)
        {
            low += Vector256.Create(Product(ref x, ref y, 0, tail), Product(ref x, ref y, 1, tail), Product(ref x, ref y, 2, tail), Product(ref x, ref y, 3, tail),
                Product(ref x, ref y, 4, tail), Product(ref x, ref y, 5, tail), Product(ref x, ref y, 6, tail), Product(ref x, ref y, 7, tail));
            if (tail > Lanes)
            {
                high += Vector256.Create(Product(ref x, ref y, 8, tail), Product(ref x, ref y, 9, tail), Product(ref x, ref y, 10, tail), Product(ref x, ref y, 11, tail),
                    Product(ref x, ref y, 12, tail), Product(ref x, ref y, 13, tail), Product(ref x, ref y, 14, tail), Product(ref x, ref y, 15, tail));
            }
        }

        var eight = low + high;
        var four = eight.GetLower() + eight.GetUpper();
        var two = four + Vector128.Shuffle(four, Vector128.Create(2, 3, 2, 3));
        return two.ToScalar() + two.GetElement(1);
    }

    /// <summary>Tail element <paramref name="j"/>'s product, or +0 past the tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Product(ref float x, ref float y, int j, int tail) => j < tail ? Unsafe.Add(ref x, j) * Unsafe.Add(ref y, j) : 0f;
}
