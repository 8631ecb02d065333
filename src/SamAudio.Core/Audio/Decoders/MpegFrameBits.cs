using NLayer;

namespace SamAudio.Core.Audio.Decoders;

/// <summary>
/// One MPEG audio frame's bytes, handed to NLayer's <see cref="MpegFrameDecoder"/> (NLayer's <see cref="IMpegFrame"/>:
/// the header fields, then the bits after the header and CRC, in order). Reused for every frame: no allocation.
/// </summary>
internal sealed class MpegFrameBits : IMpegFrame
{
    private readonly byte[] bytes = new byte[MpegFrameHeader.MaxFrameLength];
    private MpegFrameHeader header;
    private int readOffset;
    private int bucketBits;
    private ulong bucket;

    public int SampleRate => header.SampleRate;

    public int SampleRateIndex => header.SampleRateIndex;

    public int FrameLength => header.FrameLength;

    public int BitRate => header.Bitrate;

    public MpegVersion Version => header.VersionCode switch
    {
        3 => MpegVersion.Version1,
        2 => MpegVersion.Version2,
        _ => MpegVersion.Version25,
    };

    public MpegLayer Layer => (MpegLayer)header.Layer;

    public MpegChannelMode ChannelMode => (MpegChannelMode)header.ChannelMode;

    public int ChannelModeExtension => header.ModeExtension;

    public int SampleCount => header.SampleCount;

    public int BitRateIndex => header.BitrateIndex;

    public bool IsCopyrighted => (header.Bits & 8) != 0;

    public bool HasCrc => header.HasCrc;

    /// <summary>Never: the CRC is not checked (as mpg123 does by default), so a damaged frame decodes as it is.</summary>
    public bool IsCorrupted => false;

    /// <summary>Reads the frame at <paramref name="offset"/> (its header was read when the index was built).</summary>
    public void Load(Stream stream, long offset)
    {
        stream.Position = offset;
        stream.ReadExactly(bytes, 0, 4);
        if (!MpegFrameHeader.TryParse(bytes, out header))
            throw new InvalidDataException($"No MPEG frame header at byte {offset}.");
        stream.ReadExactly(bytes, 4, header.FrameLength - 4);
        Reset();
    }

    public void Reset()
    {
        readOffset = 4 + (header.HasCrc ? 2 : 0);
        bucket = 0;
        bucketBits = 0;
    }

    public int ReadBits(int bitCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bitCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bitCount, 32);
        while (bucketBits < bitCount)
        {
            if (readOffset >= header.FrameLength) throw new EndOfStreamException("Read past the end of an MPEG frame.");
            bucket = (bucket << 8) | bytes[readOffset++];
            bucketBits += 8;
        }

        bucketBits -= bitCount;
        return (int)((bucket >> bucketBits) & ((1UL << bitCount) - 1));
    }
}
