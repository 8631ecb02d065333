namespace SamAudio.Core.Audio.Decoders;

/// <summary>
/// Random-access reads of a seekable stream through one 64 KiB window, for parsers that look at a few bytes
/// here and there (frame headers, page headers) while walking a file once from its start.
/// </summary>
internal sealed class ByteWindow(Stream stream)
{
    private readonly byte[] window = new byte[1 << 16];
    private long windowStart = -1;
    private int windowLength;

    public long Length { get; } = stream.Length;

    /// <summary>Copies bytes from <paramref name="position"/>; returns how many there were (fewer at the end).</summary>
    public int Read(long position, Span<byte> destination)
    {
        if (position < 0 || position >= Length) return 0;
        if (destination.Length > window.Length)
        {
            stream.Position = position;
            return stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
        }

        if (position < windowStart || position + destination.Length > windowStart + windowLength)
        {
            stream.Position = position;
            windowStart = position;
            windowLength = stream.ReadAtLeast(window, window.Length, throwOnEndOfStream: false);
        }

        var available = (int)Math.Min(destination.Length, windowStart + windowLength - position);
        window.AsSpan((int)(position - windowStart), available).CopyTo(destination);
        return available;
    }

    public bool StartsWith(long position, ReadOnlySpan<byte> prefix)
    {
        Span<byte> head = stackalloc byte[prefix.Length];
        return Read(position, head) == prefix.Length && head.SequenceEqual(prefix);
    }

    public bool Header(long position, out MpegFrameHeader header)
    {
        Span<byte> head = stackalloc byte[4];
        header = default;
        return Read(position, head) == 4 && MpegFrameHeader.TryParse(head, out header);
    }
}
