using System.Buffers.Binary;

namespace SamAudio.Storage.Sharding;

/// <summary>
/// Reads a FLAC recording's STREAMINFO (rate, channels, length) through one ranged read, so ingestion can plan
/// shards for a FLAC archive without downloading it. A FLAC stream starts with "fLaC" and STREAMINFO is always its
/// first metadata block (RFC 9639, section 8.2), so 42 bytes are enough. Hand-written for the same reason as
/// <see cref="WavHeaderReader"/>: the decoders read synchronously from whole streams.
/// </summary>
public static class FlacHeaderReader
{
    private const int HeaderBytes = 4 + 4 + 34;

    /// <summary>
    /// Parses STREAMINFO. Returns the format (with <see cref="RecordingHeader.Frames"/> null when the encoder did not
    /// record the length), or a null format and a reason (a phrase such as "it does not start with fLaC").
    /// </summary>
    public static async Task<(RecordingHeader? Header, string? Reason)> ReadAsync(WavHeaderReader.RangeReader read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        var head = await read(0, HeaderBytes, cancellationToken).ConfigureAwait(false);
        return Parse(head.Span);
    }

    /// <summary>Parses the first 42 bytes of a FLAC file; see <see cref="ReadAsync"/>.</summary>
    public static (RecordingHeader? Header, string? Reason) Parse(ReadOnlySpan<byte> head)
    {
        if (head.Length < 4 || !head[..4].SequenceEqual("fLaC"u8)) return (null, "it does not start with the FLAC marker 'fLaC'");
        if (head.Length < HeaderBytes) return (null, "it ends inside its FLAC header");
        if ((head[4] & 0x7F) != 0 || BinaryPrimitives.ReadUInt32BigEndian(head[4..8]) << 8 >> 8 != 34)
            return (null, "its first FLAC metadata block is not a 34-byte STREAMINFO");

        var info = head[8..];
        var rate = (int)(BinaryPrimitives.ReadUInt32BigEndian(info[10..14]) >> 12);
        var channels = ((info[12] >> 1) & 0x7) + 1;
        var total = ((long)(info[13] & 0x0F) << 32) | BinaryPrimitives.ReadUInt32BigEndian(info[14..18]);
        if (rate is < 1_000 or > 768_000)
            return (null, $"its FLAC header gives a sample rate of {rate} Hz (readable recordings are 1 kHz to 768 kHz)");
        return (new RecordingHeader("flac", rate, channels, total == 0 ? null : total), null);
    }
}
