using System.Buffers.Binary;
using System.Globalization;

namespace SamAudio.Core.Audio.Decoders.Flac;

/// <summary>
/// The STREAMINFO block (RFC 9639, section 8.2), checked for values no real encoder writes. TotalSamples is the
/// frame count (samples per channel) the encoder declared, 0 when unknown; Md5 is all zero when it stored none.
/// </summary>
internal sealed record FlacStreamInfo(
    int MinBlockSize,
    int MaxBlockSize,
    int MaxFrameBytes,
    int SampleRate,
    int Channels,
    int BitsPerSample,
    long TotalSamples,
    byte[] Md5)
{
    public const int MinSampleRate = 1_000;
    public const int MaxSampleRate = 768_000;

    public bool HasMd5 => Md5.AsSpan().ContainsAnyExcept((byte)0);

    /// <summary>Parses the 34-byte block body; an implausible value throws before anything is sized from it.</summary>
    public static FlacStreamInfo Parse(ReadOnlySpan<byte> body, string name)
    {
        if (body.Length != 34)
            throw Invalid(name, $"its STREAMINFO block is {body.Length} bytes instead of 34");
        int minBlock = BinaryPrimitives.ReadUInt16BigEndian(body);
        int maxBlock = BinaryPrimitives.ReadUInt16BigEndian(body[2..]);
        var maxFrame = (body[7] << 16) | (body[8] << 8) | body[9];
        var packed = BinaryPrimitives.ReadUInt64BigEndian(body[10..]);
        var rate = (int)(packed >> 44);
        var channels = (int)((packed >> 41) & 7) + 1;
        var bitsPerSample = (int)((packed >> 36) & 31) + 1;
        var total = (long)(packed & 0xF_FFFF_FFFF);
        if (rate is < MinSampleRate or > MaxSampleRate)
            throw Invalid(name, $"it declares a sample rate of {rate} Hz (expected {MinSampleRate} to {MaxSampleRate})");
        if (minBlock < 16 || maxBlock < minBlock)
            throw Invalid(name, $"it declares block sizes {minBlock} to {maxBlock} (expected 16 to 65535, smallest first)");
        if (bitsPerSample < 4)
            throw Invalid(name, $"it declares {bitsPerSample} bits per sample (expected 4 to 32)");
        return new FlacStreamInfo(minBlock, maxBlock, maxFrame, rate, channels, bitsPerSample, total, body[18..34].ToArray());
    }

    public static InvalidDataException Invalid(string name, string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"'{name}' is not a readable FLAC file: {what}."));
}

/// <summary>One SEEKTABLE point: the frame starting at <paramref name="Sample"/> begins
/// <paramref name="Offset"/> bytes after the first frame.</summary>
internal readonly record struct FlacSeekPoint(long Sample, long Offset);
