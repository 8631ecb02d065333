using System.Buffers.Binary;

namespace SamAudio.Core.Audio.Decoders.Flac;

/// <summary>
/// The part of a FLAC file before the first audio frame: an optional ID3v2 tag, the <c>fLaC</c> marker and the
/// metadata blocks. Only STREAMINFO and SEEKTABLE are kept; every other block is skipped without reading it.
/// </summary>
internal sealed record FlacMetadata(FlacStreamInfo StreamInfo, IReadOnlyList<FlacSeekPoint> SeekPoints, long AudioOffset)
{
    private const int StreamInfoType = 0;
    private const int SeekTableType = 3;

    public static FlacMetadata Read(Stream stream, string name)
    {
        stream.Position = 0;
        Span<byte> head = stackalloc byte[10];
        var got = stream.ReadAtLeast(head, 10, throwOnEndOfStream: false);
        long start = 0;
        if (got == 10 && head[..3].SequenceEqual("ID3"u8))
        {
            start = 10 + Id3Size(head) + ((head[5] & 0x10) != 0 ? 10 : 0);
            stream.Position = start;
            got = stream.ReadAtLeast(head[..4], 4, throwOnEndOfStream: false);
        }

        if (got < 4 || !head[..4].SequenceEqual("fLaC"u8))
            throw FlacStreamInfo.Invalid(name, "it does not start with the fLaC marker");

        FlacStreamInfo? info = null;
        var points = new List<FlacSeekPoint>();
        var offset = start + 4;
        var length = stream.Length;
        Span<byte> blockHead = stackalloc byte[4];
        for (var last = false; !last;)
        {
            stream.Position = offset;
            if (stream.ReadAtLeast(blockHead, 4, throwOnEndOfStream: false) < 4)
                throw FlacStreamInfo.Invalid(name, "the file ends inside its metadata");
            last = (blockHead[0] & 0x80) != 0;
            var type = blockHead[0] & 0x7F;
            var size = (blockHead[1] << 16) | (blockHead[2] << 8) | blockHead[3];
            if (offset + 4 + size > length)
                throw FlacStreamInfo.Invalid(name, "a metadata block runs past the end of the file");
            if (info is null && type != StreamInfoType)
                throw FlacStreamInfo.Invalid(name, "its first metadata block is not STREAMINFO");
            if (type == 127)
                throw FlacStreamInfo.Invalid(name, "it holds a metadata block of the forbidden type 127");
            if (type == StreamInfoType && info is null)
                info = FlacStreamInfo.Parse(ReadBody(stream, size), name);
            else if (type == SeekTableType)
                ReadSeekTable(ReadBody(stream, size), points);
            offset += 4 + size;
        }

        points.Sort((a, b) => a.Sample.CompareTo(b.Sample));
        return new FlacMetadata(info!, points, offset);
    }

    private static byte[] ReadBody(Stream stream, int size)
    {
        var body = new byte[size];
        stream.ReadExactly(body);
        return body;
    }

    private static void ReadSeekTable(ReadOnlySpan<byte> body, List<FlacSeekPoint> points)
    {
        for (var i = 0; i + 18 <= body.Length; i += 18)
        {
            var sample = BinaryPrimitives.ReadUInt64BigEndian(body[i..]);
            var offset = BinaryPrimitives.ReadUInt64BigEndian(body[(i + 8)..]);
            if (sample == ulong.MaxValue || offset > long.MaxValue / 2) continue; // placeholder point
            points.Add(new FlacSeekPoint((long)sample, (long)offset));
        }
    }

    /// <summary>The syncsafe size of an ID3v2 tag (4 bytes of 7 bits each after the 6-byte header).</summary>
    internal static int Id3Size(ReadOnlySpan<byte> header) =>
        (header[6] & 0x7F) << 21 | (header[7] & 0x7F) << 14 | (header[8] & 0x7F) << 7 | (header[9] & 0x7F);
}
