using System.Buffers.Binary;

namespace SamAudio.Cli.Tests;

/// <summary>How the samples of a test WAV are stored.</summary>
internal enum SampleEncoding
{
    Pcm16,
    Pcm24,
    Float32,
}

/// <summary>Rate, channel count and sample encoding of a test WAV.</summary>
internal sealed record RecordingFormat(int SampleRate, int Channels, SampleEncoding Encoding)
{
    public int BytesPerSample => Encoding == SampleEncoding.Pcm24 ? 3 : Encoding == SampleEncoding.Pcm16 ? 2 : 4;
}

/// <summary>
/// Writes plain RIFF/WAVE files (PCM 16/24-bit or IEEE float 32, any rate and channel count) for the tests. The
/// product's <see cref="Core.Audio.WavOutputWriter"/> writes only mono float, so the tests carry this small writer.
/// PCM samples are rounded to the nearest step and clamped to the format's range; no dither, so the bytes repeat.
/// </summary>
internal static class TestWavWriter
{
    /// <summary>Writes <paramref name="channels"/> (one array per channel, equal lengths) to <paramref name="path"/>.</summary>
    public static void Write(string path, RecordingFormat format, params float[][] channels)
    {
        if (channels.Length != format.Channels)
        {
            throw new ArgumentException($"{channels.Length} channels given for a {format.Channels}-channel format.", nameof(channels));
        }

        int frames = channels[0].Length;
        if (channels.Any(c => c.Length != frames))
        {
            throw new ArgumentException("Every channel needs the same number of samples.", nameof(channels));
        }

        int blockAlign = format.Channels * format.BytesPerSample;
        int dataBytes = frames * blockAlign;
        bool isFloat = format.Encoding == SampleEncoding.Float32;
        int fmtBytes = isFloat ? 18 : 16;
        int factBytes = isFloat ? 8 + 4 : 0;
        var file = new byte[12 + 8 + fmtBytes + factBytes + 8 + dataBytes];
        var span = file.AsSpan();

        int at = 0;
        at = Id(span, at, "RIFF");
        at = U32(span, at, (uint)(file.Length - 8));
        at = Id(span, at, "WAVE");
        at = Id(span, at, "fmt ");
        at = U32(span, at, (uint)fmtBytes);
        at = U16(span, at, (ushort)(isFloat ? 3 : 1));
        at = U16(span, at, (ushort)format.Channels);
        at = U32(span, at, (uint)format.SampleRate);
        at = U32(span, at, (uint)(format.SampleRate * blockAlign));
        at = U16(span, at, (ushort)blockAlign);
        at = U16(span, at, (ushort)(format.BytesPerSample * 8));
        if (isFloat)
        {
            at = U16(span, at, 0); // cbSize
            at = Id(span, at, "fact");
            at = U32(span, at, 4);
            at = U32(span, at, (uint)frames);
        }

        at = Id(span, at, "data");
        at = U32(span, at, (uint)dataBytes);
        for (int frame = 0; frame < frames; frame++)
        {
            foreach (var channel in channels)
            {
                at = Sample(span, at, format.Encoding, channel[frame]);
            }
        }

        File.WriteAllBytes(path, file);
    }

    private static int Sample(Span<byte> span, int at, SampleEncoding encoding, float sample)
    {
        switch (encoding)
        {
            case SampleEncoding.Pcm16:
                BinaryPrimitives.WriteInt16LittleEndian(span[at..], (short)Quantize(sample, short.MaxValue));
                return at + 2;
            case SampleEncoding.Pcm24:
                int value = Quantize(sample, (1 << 23) - 1);
                span[at] = (byte)value;
                span[at + 1] = (byte)(value >> 8);
                span[at + 2] = (byte)(value >> 16);
                return at + 3;
            default:
                BinaryPrimitives.WriteSingleLittleEndian(span[at..], sample);
                return at + 4;
        }
    }

    private static int Quantize(float sample, int fullScale) =>
        (int)Math.Clamp(Math.Round(sample * (double)fullScale), -fullScale - 1, fullScale);

    private static int Id(Span<byte> span, int at, string id)
    {
        for (int i = 0; i < 4; i++)
        {
            span[at + i] = (byte)id[i];
        }

        return at + 4;
    }

    private static int U16(Span<byte> span, int at, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], value);
        return at + 2;
    }

    private static int U32(Span<byte> span, int at, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], value);
        return at + 4;
    }
}
