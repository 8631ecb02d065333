using System.Buffers.Binary;

namespace SamAudio.Core.Audio.Decoders;

/// <summary>
/// Where every audio frame of an MP3 (MPEG audio) stream starts, found at open by walking the frame headers
/// (each header gives the next frame's offset; only the header bytes are inspected), and what the first frame's
/// Xing/Info and LAME tags say: the frame count the encoder wrote and its delay and padding, from which a
/// gapless decoder trims the output to the encoder's input. An ID3v2 tag before the frames and ID3v1/APE tags or
/// junk between or after them are skipped. A last frame cut short by the end of the file is not listed.
/// </summary>
internal sealed class MpegFrameIndex
{
    private const int MaxSyncSearch = 1 << 16;

    private MpegFrameIndex(MpegFrameHeader first, long[] offsets, int count, LameTag? tag, bool endsInsideFrame)
    {
        First = first;
        this.offsets = offsets;
        Count = count;
        Tag = tag;
        EndsInsideFrame = endsInsideFrame;
    }

    private readonly long[] offsets;

    /// <summary>The first audio frame's header: rate, channels, samples per frame.</summary>
    public MpegFrameHeader First { get; }

    /// <summary>Whole audio frames in the file (the Xing/Info frame is not one).</summary>
    public int Count { get; }

    /// <summary>The Xing/Info (+ LAME) tag, or null when the first frame has none.</summary>
    public LameTag? Tag { get; }

    /// <summary>True when the file ends inside a frame (cut or damaged).</summary>
    public bool EndsInsideFrame { get; }

    /// <summary>Byte offset of audio frame <paramref name="frame"/>.</summary>
    public long Offset(int frame) => offsets[frame];

    /// <summary>Walks <paramref name="stream"/> from its start; throws when no MPEG audio stream is found.</summary>
    public static MpegFrameIndex Build(Stream stream, string name)
    {
        var bytes = new ByteWindow(stream);
        var start = SkipId3v2(bytes);
        var first = FindFrame(bytes, start, default, out var header)
            ?? throw new InvalidDataException($"'{name}' holds no MPEG audio frame.");
        var tag = LameTag.Read(bytes, first, header);
        var position = tag is null ? first : first + header.FrameLength;
        // Sized from the tag's frame count only as far as the file could hold that many frames (the smallest MPEG frame
        // is over 24 bytes): a damaged tag must not size an allocation.
        var possible = (int)Math.Min(int.MaxValue - 1, (bytes.Length - position) / 24);
        var offsets = new long[Math.Max(16, tag is { Frames: > 0 } ? Math.Min(tag.Frames, possible) + 1 : 1024)];
        var count = 0;
        var endsInside = false;
        while (position < bytes.Length)
        {
            if (!bytes.Header(position, out var next) || !next.SameStream(header))
            {
                if (bytes.StartsWith(position, "TAG"u8) || bytes.StartsWith(position, "APETAGEX"u8)
                    || bytes.StartsWith(position, "LYRICS"u8))
                    break;
                var found = FindFrame(bytes, position + 1, header, out _);
                if (found is null)
                {
                    endsInside = bytes.Length - position < 4;
                    break;
                }

                position = found.Value;
                continue;
            }

            if (position + next.FrameLength > bytes.Length)
            {
                endsInside = true;
                break;
            }

            if (count == offsets.Length) Array.Resize(ref offsets, offsets.Length * 2);
            offsets[count++] = position;
            position += next.FrameLength;
        }

        return new MpegFrameIndex(header, offsets, count, tag, endsInside);
    }

    private static long SkipId3v2(ByteWindow bytes)
    {
        var position = 0L;
        Span<byte> head = stackalloc byte[10];
        while (bytes.Read(position, head) == 10 && head[..3].SequenceEqual("ID3"u8))
        {
            var size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9];
            position += 10 + size + ((head[5] & 0x10) != 0 ? 10 : 0);
        }

        return position;
    }

    /// <summary>
    /// The first offset at or after <paramref name="from"/> holding a frame header followed by another header of
    /// the same stream (or the end of the file), so a stray sync pattern in tag or audio bytes is not taken.
    /// </summary>
    private static long? FindFrame(ByteWindow bytes, long from, MpegFrameHeader like, out MpegFrameHeader header)
    {
        var end = Math.Min(bytes.Length - 4, from + MaxSyncSearch);
        for (var position = from; position <= end; position++)
        {
            if (!bytes.Header(position, out header) || (like.Bits != 0 && !like.SameStream(header))) continue;
            var next = position + header.FrameLength;
            if (next >= bytes.Length || (bytes.Header(next, out var follower) && follower.SameStream(header)))
                return position;
        }

        header = default;
        return null;
    }
}

/// <summary>
/// The Xing/Info tag LAME (and ffmpeg, and most encoders since 2005) writes in place of the first audio frame:
/// <paramref name="Frames"/> audio frames follow it; <paramref name="Delay"/> and <paramref name="Padding"/> (from
/// the LAME extension, -1 when absent) are the samples the encoder added before and after the input.
/// </summary>
internal sealed record LameTag(int Frames, int Delay, int Padding)
{
    /// <summary>Reads the tag from the frame at <paramref name="offset"/>; null when that frame carries none.</summary>
    public static LameTag? Read(ByteWindow bytes, long offset, MpegFrameHeader header)
    {
        if (header.Layer != 3) return null;
        Span<byte> frame = stackalloc byte[MpegFrameHeader.MaxFrameLength];
        frame = frame[..bytes.Read(offset, frame[..header.FrameLength])];
        var at = 4 + (header.HasCrc ? 2 : 0) + header.SideInfoLength;
        if (frame.Length >= 36 + 18 && frame.Slice(36, 4).SequenceEqual("VBRI"u8))
            return new LameTag(BinaryPrimitives.ReadInt32BigEndian(frame.Slice(36 + 14, 4)), -1, -1);
        if (frame.Length < at + 8 || !(frame.Slice(at, 4).SequenceEqual("Xing"u8) || frame.Slice(at, 4).SequenceEqual("Info"u8)))
            return null;
        var flags = BinaryPrimitives.ReadInt32BigEndian(frame.Slice(at + 4, 4));
        at += 8;
        var frames = -1;
        if ((flags & 1) != 0)
        {
            frames = BinaryPrimitives.ReadInt32BigEndian(frame.Slice(at, 4));
            at += 4;
        }

        at += ((flags & 2) != 0 ? 4 : 0) + ((flags & 4) != 0 ? 100 : 0) + ((flags & 8) != 0 ? 4 : 0);
        // LAME extension: 9 bytes encoder name, then at +21 the delay and padding, 12 bits each.
        if (frame.Length < at + 24 || !IsLameFamily(frame.Slice(at, 4))) return new LameTag(frames, -1, -1);
        var delay = (frame[at + 21] << 4) | (frame[at + 22] >> 4);
        var padding = ((frame[at + 22] & 0xF) << 8) | frame[at + 23];
        return new LameTag(frames, delay, padding);
    }

    private static bool IsLameFamily(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("LAME"u8) || name.SequenceEqual("Lavf"u8) || name.SequenceEqual("Lavc"u8)
        || name.SequenceEqual("L3.9"u8);
}
