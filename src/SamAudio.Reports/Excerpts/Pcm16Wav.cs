using System.Buffers.Binary;

namespace SamAudio.Reports.Excerpts;

/// <summary>
/// Listening copies: mono 16-bit PCM WAV, the format every browser plays. Samples beyond full scale are held at full
/// scale and counted (the outputs themselves stay 32-bit float and untouched).
/// </summary>
internal static class Pcm16Wav
{
    public static byte[] Encode(ReadOnlySpan<float> samples, int sampleRate, out long clipped)
    {
        var bytes = new byte[44 + (samples.Length * 2)];
        var span = bytes.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(bytes.Length - 8));
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], 1); // PCM
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRate * 2);
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[40..], (uint)(samples.Length * 2));
        clipped = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            float x = samples[i];
            if (float.IsNaN(x)) x = 0;
            if (x > 1f || x < -1f)
            {
                clipped++;
                x = Math.Clamp(x, -1f, 1f);
            }

            BinaryPrimitives.WriteInt16LittleEndian(span[(44 + (2 * i))..], (short)Math.Round(x * 32767f));
        }

        return bytes;
    }
}
