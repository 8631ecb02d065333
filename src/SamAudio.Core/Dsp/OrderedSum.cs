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

        Span<float> lanes = stackalloc float[2 * Lanes];
        acc0.CopyTo(lanes);
        acc1.CopyTo(lanes[Lanes..]);
        for (int j = 0; i < x.Length; i++, j++)
        {
            lanes[j] += x[i] * y[i];
        }

        return Fold(lanes);
    }

    /// <summary>Euclidean norm, <c>sqrt(Dot(x, x))</c>.</summary>
    public static float Norm(ReadOnlySpan<float> x) => MathF.Sqrt(Dot(x, x));

    /// <summary>Pairwise fold of the 16 lanes: (0+8), (1+9), ... then halves again, always in this order.</summary>
    private static float Fold(Span<float> lanes)
    {
        for (int width = lanes.Length / 2; width >= 1; width /= 2)
        {
            for (int k = 0; k < width; k++)
            {
                lanes[k] += lanes[k + width];
            }
        }

        return lanes[0];
    }
}
