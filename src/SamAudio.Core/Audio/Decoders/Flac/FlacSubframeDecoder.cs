namespace SamAudio.Core.Audio.Decoders.Flac;

/// <summary>
/// Decodes one subframe (RFC 9639, section 9.2): CONSTANT, VERBATIM, FIXED or LPC, with wasted bits, into a
/// channel buffer. Problems in the bits themselves throw <see cref="InvalidDataException"/> with the reason in
/// user terms; the caller adds the file and the time. A 33-bit side channel goes to <see cref="FlacWideSubframeDecoder"/>.
/// </summary>
internal static class FlacSubframeDecoder
{
    private const int MaxLpcOrder = 32;

    /// <summary>Decodes <paramref name="output"/>.Length samples of <paramref name="sampleSize"/> bits.</summary>
    public static void Decode(FlacBitReader input, Span<int> output, int sampleSize)
    {
        var (type, wasted) = ReadHeader(input, sampleSize);
        var bits = sampleSize - wasted;
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
            default: // reserved types were refused by ReadHeader
                throw Damaged($"a subframe has the reserved type {type}");
        }

        if (wasted > 0)
        {
            for (var i = 0; i < output.Length; i++) output[i] <<= wasted;
        }
    }

    /// <summary>The subframe type (checked against the reserved ones) and its wasted bits.</summary>
    public static (int Type, int Wasted) ReadHeader(FlacBitReader input, int sampleSize)
    {
        if (input.ReadBits(1) != 0) throw Damaged("a subframe header has its padding bit set");
        var type = (int)input.ReadBits(6);
        if (type is (>= 2 and < 8) or (> 12 and < 32)) throw Damaged($"a subframe has the reserved type {type}");
        var wasted = 0;
        if (input.ReadBits(1) == 1) wasted = input.ReadUnary() + 1;
        if (wasted >= sampleSize) throw Damaged("a subframe declares more wasted bits than it has bits");
        return (type, wasted);
    }

    /// <summary>Reads an LPC subframe's coefficient precision, shift (returned) and coefficients.</summary>
    public static int ReadLpcCoefficients(FlacBitReader input, Span<int> coefficients, out int precision)
    {
        precision = (int)input.ReadBits(4) + 1;
        if (precision == 16) throw Damaged("an LPC subframe has the invalid coefficient precision code 15");
        var shift = input.ReadSigned(5);
        if (shift < 0) throw Damaged("an LPC subframe has a negative shift");
        for (var i = 0; i < coefficients.Length; i++) coefficients[i] = input.ReadSigned(precision);
        return shift;
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
        Span<int> coefficients = stackalloc int[MaxLpcOrder];
        coefficients = coefficients[..order];
        var shift = ReadLpcCoefficients(input, coefficients, out var precision);
        FlacResidual.Read(input, output, order);
        var narrow = bits + precision + (32 - int.LeadingZeroCount(order)) <= 32;
        FlacPrediction.Lpc(output, coefficients, shift, narrow);
    }

    public static InvalidDataException Damaged(string what) => new(what);
}
