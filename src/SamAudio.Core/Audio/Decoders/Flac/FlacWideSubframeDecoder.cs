namespace SamAudio.Core.Audio.Decoders.Flac;

/// <summary>
/// The one subframe that does not fit 32 bits: the side channel (difference of two channels) of a 32-bit stereo
/// stream has 33 bits. Same coding as <see cref="FlacSubframeDecoder"/>, decoded into 64-bit samples; the residual
/// itself always fits 32 bits (RFC 9639, section 9.2.7), so it is read into an int scratch buffer first.
/// </summary>
internal static class FlacWideSubframeDecoder
{
    public static void Decode(FlacBitReader input, Span<long> output, Span<int> residual, int sampleSize)
    {
        var (type, wasted) = FlacSubframeDecoder.ReadHeader(input, sampleSize);
        var bits = sampleSize - wasted;
        switch (type)
        {
            case 0:
                output.Fill(input.ReadSigned64(bits));
                break;
            case 1:
                for (var i = 0; i < output.Length; i++) output[i] = input.ReadSigned64(bits);
                break;
            case >= 8 and <= 12:
                Predict(input, output, residual, bits, type - 8, lpc: false);
                break;
            default:
                Predict(input, output, residual, bits, type - 31, lpc: true);
                break;
        }

        if (wasted > 0)
        {
            for (var i = 0; i < output.Length; i++) output[i] <<= wasted;
        }
    }

    private static void Predict(FlacBitReader input, Span<long> x, Span<int> residual, int bits, int order, bool lpc)
    {
        if (order > x.Length) throw FlacSubframeDecoder.Damaged("a predictor order is larger than its block");
        for (var i = 0; i < order; i++) x[i] = input.ReadSigned64(bits);
        Span<int> c = stackalloc int[32];
        c = c[..(lpc ? order : 0)];
        var shift = lpc ? FlacSubframeDecoder.ReadLpcCoefficients(input, c, out _) : 0;
        residual = residual[..x.Length];
        FlacResidual.Read(input, residual, order);
        for (var i = order; i < x.Length; i++)
        {
            long prediction;
            if (lpc)
            {
                prediction = 0;
                for (var j = 0; j < order; j++) prediction += c[j] * x[i - 1 - j];
                prediction >>= shift;
            }
            else
            {
                prediction = order switch
                {
                    0 => 0,
                    1 => x[i - 1],
                    2 => (2 * x[i - 1]) - x[i - 2],
                    3 => (3 * (x[i - 1] - x[i - 2])) + x[i - 3],
                    _ => (4 * (x[i - 1] + x[i - 3])) - (6 * x[i - 2]) - x[i - 4],
                };
            }

            x[i] = residual[i] + prediction;
        }
    }
}
