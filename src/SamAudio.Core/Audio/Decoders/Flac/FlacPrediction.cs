using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SamAudio.Core.Audio.Decoders.Flac;

/// <summary>
/// Undoes FLAC's predictors in place: the block holds the warm-up samples, then residuals that become samples.
/// 32-bit sums are used only where they cannot overflow (the bounds libFLAC uses); 64-bit otherwise.
/// </summary>
internal static class FlacPrediction
{
    /// <summary>The fixed polynomial predictors of order 0 to 4 (RFC 9639, section 9.2.5).</summary>
    public static void Fixed(Span<int> x, int order, bool wide)
    {
        if (wide)
        {
            FixedWide(x, order);
            return;
        }

        switch (order)
        {
            case 1:
                for (var i = 1; i < x.Length; i++) x[i] += x[i - 1];
                break;
            case 2:
                for (var i = 2; i < x.Length; i++) x[i] += (2 * x[i - 1]) - x[i - 2];
                break;
            case 3:
                for (var i = 3; i < x.Length; i++) x[i] += (3 * (x[i - 1] - x[i - 2])) + x[i - 3];
                break;
            case 4:
                for (var i = 4; i < x.Length; i++) x[i] += (4 * (x[i - 1] + x[i - 3])) - (6 * x[i - 2]) - x[i - 4];
                break;
        }
    }

    private static void FixedWide(Span<int> x, int order)
    {
        for (var i = order; i < x.Length; i++)
        {
            long a = x[i - 1];
            long prediction = order switch
            {
                0 => 0,
                1 => a,
                2 => (2 * a) - x[i - 2],
                3 => (3 * (a - x[i - 2])) + x[i - 3],
                _ => (4 * (a + x[i - 3])) - (6L * x[i - 2]) - x[i - 4],
            };
            x[i] = (int)(x[i] + prediction);
        }
    }

    /// <summary>Linear prediction: x[i] += (sum of c[j] * x[i-1-j]) >> shift (RFC 9639, section 9.2.6).</summary>
    /// <remarks>The loops index with <see cref="Unsafe.Add{T}(ref T, int)"/>: every index is in [i - order, i]
    /// with order &lt;= i &lt; x.Length, and c has order elements.</remarks>
    public static void Lpc(Span<int> x, ReadOnlySpan<int> c, int shift, bool narrow)
    {
        var order = c.Length;
        Span<int> reversed = stackalloc int[32];
        for (var j = 0; j < order; j++) reversed[j] = c[order - 1 - j]; // reversed[j] multiplies x[i - order + j]
        ref var r = ref MemoryMarshal.GetReference(reversed);
        ref var samples = ref MemoryMarshal.GetReference(x);
        if (narrow)
        {
            for (var i = order; i < x.Length; i++)
            {
                ref var history = ref Unsafe.Add(ref samples, i - order);
                var sum = 0;
                for (var j = 0; j < order; j++) sum += Unsafe.Add(ref r, j) * Unsafe.Add(ref history, j);
                Unsafe.Add(ref samples, i) += sum >> shift;
            }
        }
        else
        {
            for (var i = order; i < x.Length; i++)
            {
                ref var history = ref Unsafe.Add(ref samples, i - order);
                var sum = 0L;
                for (var j = 0; j < order; j++) sum += (long)Unsafe.Add(ref r, j) * Unsafe.Add(ref history, j);
                Unsafe.Add(ref samples, i) += (int)(sum >> shift);
            }
        }
    }
}
