namespace SamAudio.Worker.BlobStorage;

/// <summary>
/// A read-only pass-through stream that counts the bytes read through it (bytes read from storage per shard), and
/// whose reads fill the buffer unless the stream ends. A blob read stream returns what is left of its buffered range;
/// NAudio's WAV readers take a short read for whole samples and drop the rest, so a range boundary that falls inside
/// a sample (a float output after an odd-sized header, 24-bit audio) would shift every sample after it.
/// </summary>
internal sealed class CountingReadStream(Stream inner) : Stream
{
    private long _bytesRead;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false));

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int n)
    {
        Interlocked.Add(ref _bytesRead, n);
        return n;
    }
}
