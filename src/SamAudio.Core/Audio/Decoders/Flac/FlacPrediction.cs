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
    public static void Lpc(Span<int> x, ReadOnlySpan<int> c, int shift, bool narrow)
    {
        var order = c.Length;
        if (narrow && order == 8)
        {
            Lpc8(x, c, shift);
            return;
        }

        for (var i = order; i < x.Length; i++)
        {
            var history = x.Slice(i - order, order);
            if (narrow)
            {
                var sum = 0;
                for (var j = 0; j < order; j++) sum += c[j] * history[order - 1 - j];
                x[i] += sum >> shift;
            }
            else
            {
                var sum = 0L;
                for (var j = 0; j < order; j++) sum += (long)c[j] * history[order - 1 - j];
                x[i] += (int)(sum >> shift);
            }
        }
    }

    /// <summary>Order 8, the most common one from <c>flac -5</c> and up, unrolled.</summary>
    private static void Lpc8(Span<int> x, ReadOnlySpan<int> c, int shift)
    {
        int c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3], c4 = c[4], c5 = c[5], c6 = c[6], c7 = c[7];
        for (var i = 8; i < x.Length; i++)
        {
            var h = x.Slice(i - 8, 8);
            var sum = (c0 * h[7]) + (c1 * h[6]) + (c2 * h[5]) + (c3 * h[4]) + (c4 * h[3]) + (c5 * h[2]) + (c6 * h[1]) + (c7 * h[0]);
            x[i] += sum >> shift;
        }
    }
}
