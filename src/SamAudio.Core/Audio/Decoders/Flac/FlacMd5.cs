using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SamAudio.Core.Audio.Decoders.Flac;

/// <summary>
/// The STREAMINFO MD5 (RFC 9639, section 8.2): over every decoded frame, samples interleaved, each signed and
/// little-endian in ceil(bits / 8) bytes. Frames are appended in order; the scratch buffer is sized once.
/// </summary>
internal sealed class FlacMd5 : IDisposable
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly byte[] scratch;
    private readonly int bytesPerSample;
    private readonly int channels;

    public FlacMd5(FlacStreamInfo info)
    {
        channels = info.Channels;
        bytesPerSample = (info.BitsPerSample + 7) / 8;
        scratch = new byte[info.MaxBlockSize * channels * bytesPerSample];
    }

    /// <summary>Frames appended so far.</summary>
    public long Samples { get; private set; }

    public void Append(FlacFrameDecoder frame)
    {
        var size = frame.Header.BlockSize;
        var stride = channels * bytesPerSample;
        for (var c = 0; c < channels; c++)
        {
            var samples = frame.Channel(c);
            var at = c * bytesPerSample;
            switch (bytesPerSample)
            {
                case 1:
                    for (var i = 0; i < size; i++, at += stride) scratch[at] = (byte)samples[i];
                    break;
                case 2:
                    for (var i = 0; i < size; i++, at += stride) BinaryPrimitives.WriteInt16LittleEndian(scratch.AsSpan(at), (short)samples[i]);
                    break;
                case 3:
                    for (var i = 0; i < size; i++, at += stride)
                    {
                        var s = samples[i];
                        scratch[at] = (byte)s;
                        scratch[at + 1] = (byte)(s >> 8);
                        scratch[at + 2] = (byte)(s >> 16);
                    }

                    break;
                default:
                    for (var i = 0; i < size; i++, at += stride) BinaryPrimitives.WriteInt32LittleEndian(scratch.AsSpan(at), samples[i]);
                    break;
            }
        }

        hash.AppendData(scratch, 0, size * stride);
        Samples += size;
    }

    /// <summary>Starts again from the first frame.</summary>
    public void Reset()
    {
        hash.GetHashAndReset();
        Samples = 0;
    }

    public bool Matches(ReadOnlySpan<byte> expected) => hash.GetCurrentHash().AsSpan().SequenceEqual(expected);

    public void Dispose() => hash.Dispose();
}
