using SamAudio.Worker.BlobStorage;

namespace SamAudio.Worker.Tests.BlobStorage;

public sealed class CountingReadStreamTests
{
    [Fact]
    public void Read_fills_the_buffer_across_short_reads_of_the_inner_stream_and_counts_them()
    {
        byte[] data = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        using var stream = new CountingReadStream(new TrickleStream(data, 7));
        var buffer = new byte[600];

        Assert.Equal(600, stream.Read(buffer, 0, buffer.Length));
        Assert.Equal(data[..600], buffer);
        Assert.Equal(400, stream.Read(buffer.AsSpan()));
        Assert.Equal(0, stream.Read(buffer.AsSpan()));
        Assert.Equal(1000, stream.BytesRead);
    }

    /// <summary>A stream that returns at most <paramref name="most"/> bytes per read, as a blob stream does at its range ends.</summary>
    private sealed class TrickleStream(byte[] data, int most) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, most));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, most)]);
    }
}
