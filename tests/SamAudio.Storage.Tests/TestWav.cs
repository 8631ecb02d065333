using System.Text;

namespace SamAudio.Storage.Tests;

/// <summary>Builds WAV headers (and optionally silent data) for tests.</summary>
public static class TestWav
{
    /// <summary>A 16-bit PCM WAV of <paramref name="frames"/> silent frames; <paramref name="padChunkBytes"/> adds a LIST chunk before data.</summary>
    public static byte[] Create(int sampleRate, int channels, long frames, int padChunkBytes = 0, bool rf64 = false)
    {
        var blockAlign = channels * 2;
        var dataBytes = frames * blockAlign;
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms, Encoding.ASCII);
        w.Write(Encoding.ASCII.GetBytes(rf64 ? "RF64" : "RIFF"));
        w.Write(rf64 ? uint.MaxValue : (uint)(4 + 8 + 16 + (padChunkBytes > 0 ? 8 + padChunkBytes : 0) + 8 + dataBytes));
        w.Write(Encoding.ASCII.GetBytes("WAVE"));
        if (rf64)
        {
            w.Write(Encoding.ASCII.GetBytes("ds64"));
            w.Write(28u);
            w.Write(0L);          // riff size (unused by the reader)
            w.Write(dataBytes);   // data size
            w.Write(frames);      // sample count
            w.Write(0u);          // table length
        }
        w.Write(Encoding.ASCII.GetBytes("fmt "));
        w.Write(16u);
        w.Write((ushort)1);
        w.Write((ushort)channels);
        w.Write(sampleRate);
        w.Write(sampleRate * blockAlign);
        w.Write((ushort)blockAlign);
        w.Write((ushort)16);
        if (padChunkBytes > 0)
        {
            w.Write(Encoding.ASCII.GetBytes("LIST"));
            w.Write((uint)padChunkBytes);
            w.Write(new byte[padChunkBytes]);
        }
        w.Write(Encoding.ASCII.GetBytes("data"));
        w.Write(rf64 ? uint.MaxValue : (uint)dataBytes);
        w.Write(new byte[dataBytes]);
        w.Flush();
        return ms.ToArray();
    }

    /// <summary>A range reader over <paramref name="bytes"/> that counts its calls.</summary>
    public static (SamAudio.Storage.Sharding.WavHeaderReader.RangeReader Read, Func<int> Calls) Reader(byte[] bytes)
    {
        var calls = 0;
        Task<ReadOnlyMemory<byte>> Read(long offset, int count, CancellationToken _)
        {
            calls++;
            var from = (int)Math.Min(offset, bytes.Length);
            return Task.FromResult<ReadOnlyMemory<byte>>(bytes.AsMemory(from, Math.Min(count, bytes.Length - from)));
        }
        return (Read, () => calls);
    }
}
