namespace SamAudio.Core.Audio.Decoders.Flac;

/// <summary>
/// A frame header (RFC 9639, section 9.1), read and checked against its CRC-8 and the STREAMINFO. Number is the
/// frame number (fixed block size) or the first sample (variable block size); ChannelAssignment is 0-7 for
/// independent channels, 8 left/side, 9 side/right, 10 mid/side.
/// </summary>
internal readonly record struct FlacFrameHeader(bool VariableBlockSize, int BlockSize, int ChannelAssignment, long Number)
{
    private static readonly int[] Rates = [0, 88_200, 176_400, 192_000, 8_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000, 96_000];
    private static readonly int[] SampleSizes = [0, 8, 12, 0, 16, 20, 24, 32];

    /// <summary>First sample of the frame, given the stream's fixed block size when the stream uses one.</summary>
    public long FirstSample(FlacStreamInfo info) => VariableBlockSize ? Number : Number * info.MaxBlockSize;

    /// <summary>
    /// Reads a header at the reader's byte-aligned position (already marked as the frame start). Returns null and
    /// the reason when the bytes are not a valid header of this stream: no sync code, a reserved value, parameters
    /// that differ from STREAMINFO or a CRC-8 mismatch.
    /// </summary>
    public static FlacFrameHeader? TryRead(FlacBitReader input, FlacStreamInfo info, out string? problem)
    {
        problem = "the frame header is not valid (no sync code or a reserved value)";
        if (input.ReadBits(15) != 0x7FFC) return null;
        var variable = input.ReadBits(1) == 1;
        var sizeCode = (int)input.ReadBits(4);
        var rateCode = (int)input.ReadBits(4);
        var assignment = (int)input.ReadBits(4);
        var sizeBitsCode = (int)input.ReadBits(3);
        if (input.ReadBits(1) != 0 || sizeCode == 0 || rateCode == 15 || assignment > 10 || sizeBitsCode == 3) return null;
        if (!TryReadCodedNumber(input, variable ? 7 : 6, out var number)) return null;
        var blockSize = sizeCode switch
        {
            1 => 192,
            <= 5 => 576 << (sizeCode - 2),
            6 => (int)input.ReadBits(8) + 1,
            7 => (int)input.ReadBits(16) + 1,
            _ => 256 << (sizeCode - 8),
        };
        var rate = rateCode switch
        {
            0 => info.SampleRate,
            12 => (int)input.ReadBits(8) * 1000,
            13 => (int)input.ReadBits(16),
            14 => (int)input.ReadBits(16) * 10,
            _ => Rates[rateCode],
        };
        var expectedCrc = FlacCrc.Crc8(input.FrameBytes());
        if (input.ReadBits(8) != expectedCrc)
        {
            problem = "the frame header fails its checksum (CRC-8)";
            return null;
        }

        var channels = assignment < 8 ? assignment + 1 : 2;
        var sampleSize = sizeBitsCode == 0 ? info.BitsPerSample : SampleSizes[sizeBitsCode];
        if (channels != info.Channels || sampleSize != info.BitsPerSample || rate != info.SampleRate)
        {
            problem = $"the frame declares {channels} channel(s), {sampleSize} bits at {rate} Hz, unlike the rest of the file";
            return null;
        }

        if (blockSize > info.MaxBlockSize)
        {
            problem = $"the frame holds {blockSize} samples, more than the {info.MaxBlockSize} the file declares as its largest";
            return null;
        }

        problem = null;
        return new FlacFrameHeader(variable, blockSize, assignment, number);
    }

    /// <summary>The UTF-8-like coded frame or sample number (up to 7 bytes, 36 bits).</summary>
    private static bool TryReadCodedNumber(FlacBitReader input, int maxBytes, out long number)
    {
        number = input.ReadBits(8);
        var extra = number switch
        {
            < 0x80 => 0,
            < 0xC0 => -1,
            < 0xE0 => 1,
            < 0xF0 => 2,
            < 0xF8 => 3,
            < 0xFC => 4,
            < 0xFE => 5,
            0xFE => 6,
            _ => -1,
        };
        if (extra < 0 || extra + 1 > maxBytes) return false;
        number &= extra == 0 ? 0x7F : (1 << (6 - extra)) - 1;
        for (var i = 0; i < extra; i++)
        {
            var next = input.ReadBits(8);
            if ((next & 0xC0) != 0x80) return false;
            number = (number << 6) | (next & 0x3F);
        }

        return true;
    }
}
