using System.Buffers.Binary;

namespace SamAudio.Core.Audio.Decoders;

/// <summary>
/// Reads Ogg pages (RFC 3533) from a seekable stream: the capture pattern, version 0, the segment table and body,
/// and the page's CRC-32 (polynomial 0x04C11DB7, the CRC field taken as zero). A page that is cut short or fails its
/// CRC is not a page. The current page's fields and bytes stay valid until the next read. For any codec carried in
/// Ogg (Opus, Vorbis, FLAC); <see cref="OggPacketReader"/> joins the segments into packets.
/// </summary>
internal sealed class OggPageReader(Stream stream)
{
    public const int HeaderLength = 27;
    public const byte Continued = 1;
    public const byte BeginningOfStream = 2;
    public const byte EndOfStream = 4;
    private const int MaxPageLength = HeaderLength + 255 + (255 * 255);
    private static readonly uint[] CrcTable = MakeCrcTable();

    private readonly byte[] page = new byte[MaxPageLength];

    public long StreamLength { get; } = stream.Length;

    /// <summary>Byte offset of the current page.</summary>
    public long Offset { get; private set; }

    /// <summary>Bytes of the current page, header included: the next page starts at <see cref="Offset"/> + this.</summary>
    public int Length { get; private set; }

    public byte Flags => page[5];

    /// <summary>The codec's position at the end of the last packet completed on this page; -1 when none completes.</summary>
    public long Granule => BinaryPrimitives.ReadInt64LittleEndian(page.AsSpan(6));

    public uint Serial => BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(14));

    /// <summary>Lacing values: a packet ends at each value below 255.</summary>
    public ReadOnlySpan<byte> Segments => page.AsSpan(HeaderLength, page[26]);

    public ReadOnlySpan<byte> Body => page.AsSpan(HeaderLength + page[26], Length - HeaderLength - page[26]);

    /// <summary>Reads the page at <paramref name="offset"/>; false when there is no whole page with a good CRC there.</summary>
    public bool TryRead(long offset)
    {
        if (offset < 0 || offset + HeaderLength > StreamLength) return false;
        stream.Position = offset;
        if (stream.ReadAtLeast(page.AsSpan(0, HeaderLength), HeaderLength, throwOnEndOfStream: false) < HeaderLength
            || !page.AsSpan(0, 4).SequenceEqual("OggS"u8) || page[4] != 0)
            return false;
        var segments = page[26];
        if (stream.ReadAtLeast(page.AsSpan(HeaderLength, segments), segments, throwOnEndOfStream: false) < segments) return false;
        var body = 0;
        foreach (var lacing in page.AsSpan(HeaderLength, segments)) body += lacing;
        var length = HeaderLength + segments + body;
        if (stream.ReadAtLeast(page.AsSpan(HeaderLength + segments, body), body, throwOnEndOfStream: false) < body) return false;
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(22));
        page.AsSpan(22, 4).Clear();
        var good = Crc(page.AsSpan(0, length)) == stored;
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(22), stored);
        if (!good) return false;
        Offset = offset;
        Length = length;
        return true;
    }

    /// <summary>
    /// Reads the first whole page at or after <paramref name="offset"/>, searching forward for the capture pattern
    /// past damaged bytes; false at the end of the stream.
    /// </summary>
    public bool TryReadFrom(long offset)
    {
        Span<byte> window = stackalloc byte[4096];
        while (offset + HeaderLength <= StreamLength)
        {
            if (TryRead(offset)) return true;
            stream.Position = offset + 1;
            var got = stream.ReadAtLeast(window, window.Length, throwOnEndOfStream: false);
            var at = window[..got].IndexOf("OggS"u8);
            if (at < 0)
            {
                if (got < window.Length) return false;
                offset += got - 3;
                continue;
            }

            offset += 1 + at;
        }

        return false;
    }

    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        var crc = 0u;
        foreach (var b in bytes) crc = (crc << 8) ^ CrcTable[(byte)(crc >> 24) ^ b];
        return crc;
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (var i = 0u; i < 256; i++)
        {
            var r = i << 24;
            for (var bit = 0; bit < 8; bit++) r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            table[i] = r;
        }

        return table;
    }
}
