using SamAudio.Core.Audio;

namespace SamAudio.Core.Tests.Audio;

public sealed class WavHeaderTests
{
    [Theory]
    [InlineData(48_000, 12_345, false)]
    [InlineData(16_000, 0, false)]
    [InlineData(44_100, 70_001, true)]
    public void Header_and_bare_samples_are_the_file_the_wav_writer_writes(int rate, int frames, bool rf64)
    {
        using var dir = new TempDir();
        MetadataChunk[] chunks = [new("bext", Enumerable.Range(0, 603).Select(i => (byte)i).ToArray()), new("LIST", "INFOISFT\u0004\0\0\0test"u8.ToArray())];
        var samples = Enumerable.Range(0, frames).Select(i => (float)Math.Sin(i * 0.01)).ToArray();
        long threshold = rf64 ? 100_000 : uint.MaxValue; // small enough that this file is promoted to RF64

        using (var writer = WavOutputWriter.Create(dir.File("whole.wav"), rate, chunks, threshold))
        {
            writer.Write(samples);
            writer.Complete();
        }

        using (var raw = new RawFloatWriter(dir.File("data.raw")))
        {
            raw.Write(samples.AsSpan(0, frames / 2));
            raw.Write(samples.AsSpan(frames / 2));
            raw.Complete();
        }

        byte[] expected = File.ReadAllBytes(dir.File("whole.wav"));
        byte[] assembled = [.. WavHeader.Build(rate, frames, chunks, threshold), .. File.ReadAllBytes(dir.File("data.raw"))];
        Assert.Equal(rf64 ? "RF64" : "RIFF", System.Text.Encoding.ASCII.GetString(expected, 0, 4));
        Assert.Equal(expected.Length, assembled.Length);
        Assert.True(expected.AsSpan().SequenceEqual(assembled));
    }

    [Fact]
    public void Raw_writer_disposed_before_completion_leaves_nothing()
    {
        using var dir = new TempDir();
        using (var raw = new RawFloatWriter(dir.File("data.raw")))
        {
            raw.Write([0.5f, 2f, -3f]);
            Assert.Equal(2, raw.ClippedSamples);
        }

        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
