using System.Buffers.Binary;

namespace SamAudio.Core.Audio.Decoders;

/// <summary>
/// The identification header of an Ogg Opus stream (RFC 7845, section 5.1): channels, the samples to drop at the
/// start (<paramref name="PreSkip"/>, at 48 kHz), the output gain in dB (Q7.8) and how decoded streams map to
/// channels. Mapping families 0 (mono/stereo) and 1 (Vorbis channel order, up to 8 channels) are read.
/// </summary>
internal sealed record OpusHead(int Channels, int PreSkip, int InputSampleRate, short OutputGain, int Family,
    int Streams, int CoupledStreams, byte[] Mapping)
{
    /// <summary>Parses the first packet of the stream; throws <see cref="InvalidDataException"/> naming what is wrong.</summary>
    public static OpusHead Parse(ReadOnlySpan<byte> packet, string name)
    {
        if (packet.Length < 19 || !packet[..8].SequenceEqual("OpusHead"u8))
            throw new InvalidDataException($"'{name}' has no OpusHead packet.");
        if (packet[8] >> 4 != 0)
            throw new InvalidDataException($"'{name}' has Ogg Opus version {packet[8]}; only version 0.x is read.");
        int channels = packet[9], family = packet[18];
        if (channels == 0) throw new InvalidDataException($"'{name}' declares 0 channels.");
        var preSkip = BinaryPrimitives.ReadUInt16LittleEndian(packet[10..]);
        var inputRate = (int)BinaryPrimitives.ReadUInt32LittleEndian(packet[12..]);
        var gain = BinaryPrimitives.ReadInt16LittleEndian(packet[16..]);
        switch (family)
        {
            case 0 when channels <= 2:
                return new OpusHead(channels, preSkip, inputRate, gain, 0, 1, channels - 1, channels == 1 ? [0] : [0, 1]);
            case 1 when channels <= 8 && packet.Length >= 21 + channels:
                int streams = packet[19], coupled = packet[20];
                var mapping = packet.Slice(21, channels).ToArray();
                if (streams == 0 || coupled > streams || mapping.Any(m => m != 255 && m >= streams + coupled))
                    throw new InvalidDataException($"'{name}' has an invalid Opus channel mapping table.");
                return new OpusHead(channels, preSkip, inputRate, gain, 1, streams, coupled, mapping);
            default:
                throw new InvalidDataException(
                    $"'{name}' uses Opus channel mapping family {family} with {channels} channels; families 0 and 1 are read.");
        }
    }

    /// <summary>Samples per channel at 48 kHz in an Opus packet, from its TOC byte (RFC 6716, section 3.1); 0 when malformed.</summary>
    public static int PacketSamples(ReadOnlySpan<byte> packet)
    {
        if (packet.Length == 0) return 0;
        var config = packet[0] >> 3;
        var frameSamples = config < 12 ? 480 << (config & 3) // SILK: 10, 20, 40, 60 ms
            : config < 16 ? 480 << (config & 1) // hybrid: 10, 20 ms
            : 120 << (config & 3); // CELT: 2.5, 5, 10, 20 ms
        if (config < 12 && (config & 3) == 3) frameSamples = 2880;
        var frames = (packet[0] & 3) switch
        {
            0 => 1,
            1 or 2 => 2,
            _ => packet.Length > 1 ? packet[1] & 0x3F : 0,
        };
        return frames * frameSamples;
    }
}
