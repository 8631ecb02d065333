namespace SamAudio.Core.Audio.Decoders.Flac;

/// <summary>
/// Decodes whole frames (RFC 9639, section 9) into one buffer per channel, sized once from STREAMINFO:
/// header with CRC-8, one subframe per channel, stereo decorrelation, CRC-16 over the frame.
/// </summary>
internal sealed class FlacFrameDecoder
{
    private readonly FlacStreamInfo info;
    private readonly int[][] channels;
    private readonly long[] wideSide; // the 33-bit side channel of 32-bit stereo; empty otherwise

    public FlacFrameDecoder(FlacStreamInfo info)
    {
        this.info = info;
        channels = new int[info.Channels][];
        for (var c = 0; c < channels.Length; c++) channels[c] = new int[info.MaxBlockSize];
        wideSide = info.BitsPerSample == 32 && info.Channels == 2 ? new long[info.MaxBlockSize] : [];
    }

    /// <summary>The header of the frame decoded last.</summary>
    public FlacFrameHeader Header { get; private set; }

    /// <summary>The samples of channel <paramref name="channel"/> in the frame decoded last.</summary>
    public ReadOnlySpan<int> Channel(int channel) => channels[channel].AsSpan(0, Header.BlockSize);

    /// <summary>
    /// Decodes the frame at the reader's byte-aligned position. Returns false at a clean end of the stream.
    /// Throws <see cref="InvalidDataException"/> with what is wrong (no caller context) for a damaged frame and
    /// <see cref="EndOfStreamException"/> when the stream ends inside the frame.
    /// </summary>
    public bool TryDecode(FlacBitReader input)
    {
        if (input.AtEnd()) return false;
        input.MarkFrameStart();
        var header = FlacFrameHeader.TryRead(input, info, out var problem) ?? throw new InvalidDataException(problem);
        var size = header.BlockSize;
        var assignment = header.ChannelAssignment;
        var wide = false;
        for (var c = 0; c < channels.Length; c++)
        {
            var side = (assignment == 8 && c == 1) || (assignment == 9 && c == 0) || (assignment == 10 && c == 1);
            if (side && info.BitsPerSample == 32)
            {
                FlacWideSubframeDecoder.Decode(input, wideSide.AsSpan(0, size), channels[c], 33);
                wide = true;
            }
            else
            {
                FlacSubframeDecoder.Decode(input, channels[c].AsSpan(0, size), info.BitsPerSample + (side ? 1 : 0));
            }
        }

        input.AlignToByte();
        var crc = FlacCrc.Crc16(input.FrameBytes());
        if (input.ReadBits(16) != crc)
            throw new InvalidDataException("the audio frame there fails its checksum (CRC-16): its bytes were damaged");
        Header = header;
        if (wide)
            DecorrelateWide(assignment, channels[0].AsSpan(0, size), channels[1].AsSpan(0, size), wideSide.AsSpan(0, size));
        else
            Decorrelate(assignment, channels[0].AsSpan(0, size), channels.Length > 1 ? channels[1].AsSpan(0, size) : default);
        return true;
    }

    /// <summary>As <see cref="Decorrelate"/> with the side channel in <paramref name="side"/>; the results fit 32 bits.</summary>
    private static void DecorrelateWide(int assignment, Span<int> a, Span<int> b, ReadOnlySpan<long> side)
    {
        for (var i = 0; i < a.Length; i++)
        {
            switch (assignment)
            {
                case 8: // left in a; right = left - side
                    b[i] = (int)(a[i] - side[i]);
                    break;
                case 9: // right in b; left = side + right
                    a[i] = (int)(side[i] + b[i]);
                    break;
                default: // mid in a
                    var mid = ((long)a[i] << 1) | (side[i] & 1);
                    a[i] = (int)((mid + side[i]) >> 1);
                    b[i] = (int)((mid - side[i]) >> 1);
                    break;
            }
        }
    }

    private static void Decorrelate(int assignment, Span<int> a, Span<int> b)
    {
        switch (assignment)
        {
            case 8: // left, side: right = left - side
                for (var i = 0; i < a.Length; i++) b[i] = a[i] - b[i];
                break;
            case 9: // side, right: left = side + right
                for (var i = 0; i < a.Length; i++) a[i] += b[i];
                break;
            case 10: // mid, side
                for (var i = 0; i < a.Length; i++)
                {
                    var side = b[i];
                    var mid = (a[i] << 1) | (side & 1);
                    a[i] = (mid + side) >> 1;
                    b[i] = (mid - side) >> 1;
                }

                break;
        }
    }
}
