using NAudio.Wave;

namespace SamAudio.Core.Audio;

/// <summary>
/// The bytes a <see cref="WavOutputWriter"/> puts before the samples of a file of known length: RIFF (or RF64 past
/// 4 GB) header, <c>fmt </c>, the metadata chunks and the <c>data</c> chunk header. Put in front of the bare samples
/// (<see cref="RawFloatWriter"/> pieces, in order), they make the same file byte for byte, which is how a recording
/// separated in shards is assembled in storage without a second WAV writer.
/// </summary>
public static class WavHeader
{
    private const int ChunkBytes = 1 << 20;

    // Stand-ins for the samples, only ever read: one for the process, not 1 MB per header (one per output of every item).
    private static readonly byte[] Zeros = new byte[ChunkBytes];

    /// <summary>The header of a mono float WAV of <paramref name="frames"/> frames.</summary>
    public static byte[] Build(int sampleRate, long frames, IReadOnlyList<MetadataChunk> chunks) =>
        Build(sampleRate, frames, chunks, uint.MaxValue);

    internal static byte[] Build(int sampleRate, long frames, IReadOnlyList<MetadataChunk> chunks, long rf64ThresholdBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        ArgumentNullException.ThrowIfNull(chunks);
        long dataBytes = frames * sizeof(float);
        long keep = (1 << 16) + chunks.Sum(c => 16L + c.Data.Length);
        using var capture = new HeaderCapture(keep);

        // NAudio's writer lays the file out (and promotes it to RF64); the samples themselves are discarded.
        var options = new WaveFileWriterOptions { EnableRf64 = true, Rf64PromotionThreshold = rf64ThresholdBytes };
        using (var writer = new WaveFileWriter(capture, WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, 1), options))
        {
            foreach (var chunk in chunks)
            {
                writer.AddChunk(chunk.Id, chunk.Data, ChunkPosition.BeforeData);
            }

            for (long left = dataBytes; left > 0; left -= Zeros.Length)
            {
                writer.Write(Zeros, 0, (int)Math.Min(Zeros.Length, left));
            }
        }

        long headerBytes = capture.Length - dataBytes;
        if (headerBytes <= 0 || headerBytes > keep)
        {
            throw new InvalidOperationException($"Unexpected WAV layout: {capture.Length} bytes for {dataBytes} bytes of samples.");
        }

        return capture.Head[..(int)headerBytes];
    }

    /// <summary>A write-only stream that keeps the first bytes written and only counts the rest.</summary>
    private sealed class HeaderCapture(long keep) : Stream
    {
        private readonly byte[] _head = new byte[keep];
        private long _position;
        private long _length;

        public byte[] Head => _head;

        public override bool CanRead => false;

        public override bool CanSeek => true;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _position;
            set => _position = value;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_position < _head.Length)
            {
                int n = (int)Math.Min(buffer.Length, _head.Length - _position);
                buffer[..n].CopyTo(_head.AsSpan((int)_position));
            }

            _position += buffer.Length;
            _length = Math.Max(_length, _position);
        }

        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };

        public override void SetLength(long value) => _length = value;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
