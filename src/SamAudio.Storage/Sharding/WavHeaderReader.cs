using System.Buffers.Binary;
using System.Text;

namespace SamAudio.Storage.Sharding;

/// <summary>Format and length of a WAV recording, read from its header.</summary>
/// <param name="SampleRate">Frames per second.</param>
/// <param name="Channels">Interleaved channels.</param>
/// <param name="BlockAlign">Bytes per frame.</param>
/// <param name="DataOffset">Byte offset of the first sample.</param>
/// <param name="DataBytes">Bytes of sample data (clamped to the blob's length).</param>
public sealed record WavInfo(int SampleRate, int Channels, int BlockAlign, long DataOffset, long DataBytes)
{
    /// <summary>Sample frames in the recording.</summary>
    public long Frames => DataBytes / BlockAlign;

    /// <summary>Duration of the recording.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Frames / SampleRate);
}

/// <summary>
/// Reads a WAV (RIFF or RF64) header through ranged reads, so the duration of a recording in blob storage is known
/// without downloading it. Hand-written (about 80 lines) because the audio libraries here read headers synchronously
/// from a whole stream, which over blob storage would mean blocking HTTP reads.
/// </summary>
public static class WavHeaderReader
{
    /// <summary>Reads <c>count</c> bytes at <c>offset</c> (fewer at the end of the blob).</summary>
    public delegate Task<ReadOnlyMemory<byte>> RangeReader(long offset, int count, CancellationToken cancellationToken);

    private const int MaxChunks = 64;

    /// <summary>
    /// Parses the header. Returns the format, or a null format and a reason (a phrase such as "it is empty") when the
    /// data is not a WAV file this reader understands.
    /// </summary>
    public static async Task<(WavInfo? Info, string? Reason)> ReadAsync(RangeReader read, long length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        var head = await read(0, 4096, cancellationToken).ConfigureAwait(false);
        if (head.Length < 12) return (null, "it is shorter than a WAV header");
        var riff = Encoding.ASCII.GetString(head.Span[..4]);
        if ((riff != "RIFF" && riff != "RF64") || Encoding.ASCII.GetString(head.Span[8..12]) != "WAVE")
            return (null, $"it does not start with a RIFF/WAVE header (found '{Printable(head.Span[..4])}')");

        long offset = 12, ds64Data = -1;
        int rate = 0, channels = 0, blockAlign = 0;
        for (var chunk = 0; chunk < MaxChunks && offset + 8 <= length; chunk++)
        {
            var header = await Slice(read, head, offset, 8, cancellationToken).ConfigureAwait(false);
            if (header.Length < 8) break;
            var id = Encoding.ASCII.GetString(header.Span[..4]);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(header.Span[4..8]);
            if (id == "ds64" || id == "fmt ")
            {
                var body = await Slice(read, head, offset + 8, (int)Math.Min(size, 64), cancellationToken).ConfigureAwait(false);
                if (id == "ds64" && body.Length >= 16)
                    ds64Data = BinaryPrimitives.ReadInt64LittleEndian(body.Span[8..16]);
                if (id == "fmt " && body.Length >= 16)
                {
                    channels = BinaryPrimitives.ReadUInt16LittleEndian(body.Span[2..4]);
                    rate = BinaryPrimitives.ReadInt32LittleEndian(body.Span[4..8]);
                    blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(body.Span[12..14]);
                }
            }
            else if (id == "data")
            {
                if (rate <= 0 || channels <= 0 || blockAlign <= 0)
                    return (null, "its data chunk comes before a valid fmt chunk");
                var dataOffset = offset + 8;
                if (riff == "RF64" && size == uint.MaxValue && ds64Data >= 0) size = ds64Data;
                // Streaming writers leave 0 or 0xFFFFFFFF; a truncated file is shorter than it claims.
                if (size == 0 || size == uint.MaxValue || dataOffset + size > length) size = length - dataOffset;
                return (new WavInfo(rate, channels, blockAlign, dataOffset, size), null);
            }
            offset += 8 + size + (size & 1);
        }
        return (null, "no data chunk was found in its header");
    }

    private static async Task<ReadOnlyMemory<byte>> Slice(RangeReader read, ReadOnlyMemory<byte> head, long offset, int count, CancellationToken cancellationToken)
    {
        if (offset + count <= head.Length) return head.Slice((int)offset, count);
        return await read(offset, count, cancellationToken).ConfigureAwait(false);
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) chars[i] = bytes[i] is >= 32 and < 127 ? (char)bytes[i] : '?';
        return new string(chars);
    }
}
