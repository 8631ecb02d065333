namespace SamAudio.Core.Audio.Decoders;

/// <summary>
/// The 4-byte header of an MPEG-1/2/2.5 audio frame (layers I-III): what it says about the frame's size, rate and
/// channels. Free-format frames (bitrate index 0) are not accepted: their length is not in the header.
/// </summary>
internal readonly record struct MpegFrameHeader(uint Bits)
{
    private static readonly short[] BitratesV1 =
    [
        0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448, // layer I
        0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, // layer II
        0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, // layer III
    ];

    private static readonly short[] BitratesV2 =
    [
        0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256, // layer I
        0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, // layers II and III
    ];

    /// <summary>The largest frame any header can declare (layer II, 384 kb/s, 32 kHz, padded).</summary>
    public const int MaxFrameLength = 1729;

    /// <summary>0 for MPEG-2.5, 2 for MPEG-2, 3 for MPEG-1 (the header's own code).</summary>
    public int VersionCode => (int)(Bits >> 19) & 3;

    /// <summary>1, 2 or 3.</summary>
    public int Layer => 4 - ((int)(Bits >> 17) & 3);

    public bool HasCrc => (Bits & 0x10000) == 0;

    public int BitrateIndex => (int)(Bits >> 12) & 0xF;

    public int SampleRateIndex => (int)(Bits >> 10) & 3;

    public int Padding => (int)(Bits >> 9) & 1;

    /// <summary>0 stereo, 1 joint stereo, 2 dual channel, 3 mono.</summary>
    public int ChannelMode => (int)(Bits >> 6) & 3;

    public int ModeExtension => (int)(Bits >> 4) & 3;

    public int Channels => ChannelMode == 3 ? 1 : 2;

    public int SampleRate => SampleRateIndex switch
    {
        0 => 44100,
        1 => 48000,
        _ => 32000,
    } >> VersionCode switch { 3 => 0, 2 => 1, _ => 2 };

    public int Bitrate => 1000 * (VersionCode == 3
        ? BitratesV1[((Layer - 1) * 15) + BitrateIndex]
        : BitratesV2[(Layer == 1 ? 0 : 15) + BitrateIndex]);

    /// <summary>Samples per channel the frame decodes to: 384 (layer I), 576 (MPEG-2/2.5 layer III) or 1152.</summary>
    public int SampleCount => Layer == 1 ? 384 : Layer == 3 && VersionCode != 3 ? 576 : 1152;

    /// <summary>Bytes of the whole frame, header included.</summary>
    public int FrameLength => Layer == 1
        ? ((12 * Bitrate / SampleRate) + Padding) * 4
        : (SampleCount / 8 * Bitrate / SampleRate) + Padding;

    /// <summary>Bytes of layer III side information after the header (and CRC): where a Xing/Info tag starts.</summary>
    public int SideInfoLength => VersionCode == 3 ? (Channels == 1 ? 17 : 32) : (Channels == 1 ? 9 : 17);

    /// <summary>Reads a header from 4 big-endian bytes; false when they are not a usable frame header.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out MpegFrameHeader header)
    {
        header = default;
        if (bytes.Length < 4) return false;
        var bits = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        header = new MpegFrameHeader(bits);
        return (bits & 0xFFE00000) == 0xFFE00000 // frame sync
            && header.VersionCode != 1 // reserved version
            && ((bits >> 17) & 3) != 0 // reserved layer
            && header.BitrateIndex is > 0 and < 15 // free format or bad
            && header.SampleRateIndex != 3
            && (bits & 3) != 2; // reserved emphasis
    }

    /// <summary>True when <paramref name="other"/> can be the next frame of the same stream.</summary>
    public bool SameStream(MpegFrameHeader other) =>
        VersionCode == other.VersionCode && Layer == other.Layer && SampleRateIndex == other.SampleRateIndex
        && (ChannelMode == 3) == (other.ChannelMode == 3);
}
