using System.Buffers.Binary;

namespace SamAudio.Worker.Tests;

/// <summary>
/// 16-bit PCM WAV recordings written directly (a field-recorder-like signal: a noise bed, a tone that comes and
/// goes, chirps), deterministic for a seed, so long files are made in a moment without any audio tool.
/// </summary>
internal static class TestRecording
{
    public static void Write(string path, int rate, int channels, double seconds, int seed)
    {
        long frames = (long)(seconds * rate);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Span<byte> header = stackalloc byte[44];
        long dataBytes = frames * channels * 2;
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(36 + dataBytes));
        "WAVEfmt "u8.CopyTo(header[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)(rate * channels * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)(channels * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 16);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], (uint)dataBytes);
        file.Write(header);

        uint state = (uint)seed * 2654435761u + 1;
        var buffer = new byte[rate * channels * 2];
        for (long f = 0; f < frames;)
        {
            int n = (int)Math.Min(rate, frames - f);
            for (int i = 0; i < n; i++, f++)
            {
                double t = f / (double)rate;
                double gate = Math.Sin(2 * Math.PI * 0.05 * t) > 0.3 ? 1 : 0.05;
                double tone = 0.3 * gate * Math.Sin(2 * Math.PI * (440 + (60 * Math.Sin(2 * Math.PI * 0.2 * t))) * t);
                for (int c = 0; c < channels; c++)
                {
                    state = (state * 1664525u) + 1013904223u;
                    double noise = ((state >> 8) / (double)(1 << 24) - 0.5) * 0.2;
                    short sample = (short)Math.Round(Math.Clamp(tone * (c == 0 ? 1 : 0.6) + noise, -1, 1) * 32767);
                    BinaryPrimitives.WriteInt16LittleEndian(buffer.AsSpan(((i * channels) + c) * 2), sample);
                }
            }

            file.Write(buffer, 0, n * channels * 2);
        }
    }
}
