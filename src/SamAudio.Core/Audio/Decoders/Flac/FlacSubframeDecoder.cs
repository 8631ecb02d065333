namespace SamAudio.Core.Audio.Decoders.Flac;

/// <summary>
/// Decodes one subframe (RFC 9639, section 9.2): CONSTANT, VERBATIM, FIXED or LPC, with wasted bits, into a
/// channel buffer. Problems in the bits themselves throw <see cref="InvalidDataException"/> with the reason in
/// user terms; the caller adds the file and the time. A valid stream this decoder cannot decode throws
/// <see cref="NotSupportedException"/>.
/// </summary>
internal static class FlacSubframeDecoder
{
    private const int MaxLpcOrder = 32;

    /// <summary>Decodes <paramref name="output"/>.Length samples of <paramref name="sampleSize"/> bits.</summary>
    public static void Decode(FlacBitReader input, Span<int> output, int sampleSize)
    {
        if (input.ReadBits(1) != 0) throw Damaged("a subframe header has its padding bit set");
        var type = (int)input.ReadBits(6);
        var wasted = 0;
        if (input.ReadBits(1) == 1) wasted = input.ReadUnary() + 1;
        if (wasted >= sampleSize) throw Damaged("a subframe declares more wasted bits than it has bits");
        var bits = sampleSize - wasted;
        if (bits > 32)
            throw new NotSupportedException("32-bit stereo coded as a sum and difference (a 33-bit side channel) is not supported");

        switch (type)
        {
            case 0:
                output.Fill(input.ReadSigned(bits));
                break;
            case 1:
                for (var i = 0; i < output.Length; i++) output[i] = input.ReadSigned(bits);
                break;
            case >= 8 and <= 12:
                DecodeFixed(input, output, bits, type - 8);
                break;
            case >= 32:
                DecodeLpc(input, output, bits, type - 31);
                break;
            default:
                throw Damaged($"a subframe has the reserved type {type}");
        }

        if (wasted > 0)
        {
            for (var i = 0; i < output.Length; i++) output[i] <<= wasted;
        }
    }

    private static void DecodeFixed(FlacBitReader input, Span<int> output, int bits, int order)
    {
        if (order > output.Length) throw Damaged("a predictor order is larger than its block");
        for (var i = 0; i < order; i++) output[i] = input.ReadSigned(bits);
        FlacResidual.Read(input, output, order);
        FlacPrediction.Fixed(output, order, wide: bits > 26);
    }

    private static void DecodeLpc(FlacBitReader input, Span<int> output, int bits, int order)
    {
        if (order > output.Length) throw Damaged("a predictor order is larger than its block");
        for (var i = 0; i < order; i++) output[i] = input.ReadSigned(bits);
        var precision = (int)input.ReadBits(4) + 1;
        if (precision == 16) throw Damaged("an LPC subframe has the invalid coefficient precision code 15");
        var shift = input.ReadSigned(5);
        if (shift < 0) throw Damaged("an LPC subframe has a negative shift");
        Span<int> coefficients = stackalloc int[MaxLpcOrder];
        coefficients = coefficients[..order];
        for (var i = 0; i < order; i++) coefficients[i] = input.ReadSigned(precision);
        FlacResidual.Read(input, output, order);
        var narrow = bits + precision + (32 - int.LeadingZeroCount(order)) <= 32;
        FlacPrediction.Lpc(output, coefficients, shift, narrow);
    }

    public static InvalidDataException Damaged(string what) => new(what);
}
