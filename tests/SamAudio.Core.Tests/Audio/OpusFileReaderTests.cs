using SamAudio.Core.Audio;
using SamAudio.Core.Audio.Decoders;

namespace SamAudio.Core.Tests.Audio;

/// <summary>Ogg Opus through Concentus and our Ogg page reader (TestFiles/make.sh: opusenc from stereo16.wav).</summary>
public sealed class OpusFileReaderTests : IDisposable
{
    /// <summary>
    /// Largest difference between a seek (fresh decoder, 1 s of pre-roll) and a decode from the start. Opus's
    /// predictors converge after a restart rather than repeat by design; with these files they do so exactly
    /// (measured: 80 ms of pre-roll left 0.03, 200 ms 3e-5, 400 ms and more 0).
    /// </summary>
    public const double SeekTolerance = 0;

    private const int SourceFrames = 12_000 * 3; // 0.75 s at 48 kHz
    private readonly TempDir temp = new();

    [Theory]
    [InlineData("stereo16.opus", 2, 20)]
    [InlineData("mono16.opus", 1, 20)]
    public void Opus_decodes_at_48_kHz_with_the_source_length_and_timeline(string file, int channels, double minSnrDb)
    {
        using var reader = AudioReaders.Open(AudioTestKit.TestFile(file));
        using var wav = AudioReaders.Open(AudioTestKit.TestFile("stereo16.wav"));

        Assert.Equal(("ogg", "opus", 48_000, channels, (long)SourceFrames),
            (reader.Info.Container, reader.Info.Encoding, reader.Info.SampleRate, reader.Info.Channels, reader.Info.Frames));
        var actual = AudioTestKit.ReadAll(reader, 777);
        Assert.Equal(SourceFrames * channels, actual.Length);
        var stereo = AudioTestKit.ReadAll(new Resampler(wav, 48_000));
        var expected = channels == 2 ? stereo : [.. stereo.Where((_, i) => i % 2 == 0)];
        // Sample-aligned (pre-skip removed): a shifted timeline would collapse the SNR.
        Assert.True(AudioTestKit.SnrDb(expected, actual) > minSnrDb, $"SNR {AudioTestKit.SnrDb(expected, actual):F1} dB");
        Assert.Empty(reader.Warnings);
    }

    [Fact]
    public void Seeks_far_into_a_long_opus_file_give_what_decoding_from_the_start_gives()
    {
        using var reader = AudioReaders.Open(AudioTestKit.TestFile("long.opus"));
        var all = AudioTestKit.ReadAll(reader);
        Assert.Equal(8 * 48_000, all.Length);
        foreach (var frame in new long[] { 200_003, 383_999, 100_000, 48_001 })
        {
            reader.SeekToFrame(frame);
            var rest = AudioTestKit.ReadAll(reader, 777);
            Assert.Equal(all.AsSpan((int)frame).ToArray(), rest);
        }
    }

    [Fact]
    public void Truncated_opus_reads_the_whole_pages_and_warns()
    {
        var bytes = File.ReadAllBytes(AudioTestKit.TestFile("stereo16.opus"));
        var path = temp.File("cut.opus");
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        using var reader = AudioReaders.Open(path);
        using var whole = AudioReaders.Open(AudioTestKit.TestFile("stereo16.opus"));

        Assert.InRange(reader.Info.Frames, SourceFrames / 4, SourceFrames * 3 / 4);
        Assert.Contains($"holds {reader.Info.Frames} frames", Assert.Single(reader.Warnings));
        var expected = AudioTestKit.ReadAll(whole).AsSpan(0, (int)reader.Info.Frames * 2).ToArray();
        Assert.Equal(expected, AudioTestKit.ReadAll(reader));
    }

    [Fact]
    public void A_page_with_a_bad_crc_is_not_read()
    {
        var bytes = File.ReadAllBytes(AudioTestKit.TestFile("stereo16.opus"));
        bytes[^10] ^= 0x40; // inside the last page's body
        var path = temp.File("crc.opus");
        File.WriteAllBytes(path, bytes);
        using var reader = AudioReaders.Open(path);

        Assert.True(reader.Info.Frames < SourceFrames);
        Assert.Single(reader.Warnings);
    }

    [Fact]
    public void Ogg_flac_is_refused_with_a_clear_message()
    {
        var bytes = File.ReadAllBytes(AudioTestKit.TestFile("stereo16.opus"));
        "\u007FFLAC\u0001\u0000\u0000\u0001"u8.CopyTo(bytes.AsSpan(28)); // first packet of the first page
        var path = temp.File("flac.oga");
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => AudioReaders.Open(path));
        Assert.Contains("is FLAC inside an Ogg container, which is not supported yet; convert it", error.Message);
    }

    [Fact]
    public void Opus_from_a_stream_reads_like_the_file()
    {
        var path = AudioTestKit.TestFile("mono16.opus");
        using var fromFile = AudioReaders.Open(path);
        using var fromStream = OpusFileReader.Open(new MemoryStream(File.ReadAllBytes(path)), "mono16.opus");

        Assert.Equal(fromFile.Info, fromStream.Info);
        Assert.Equal(AudioTestKit.ReadAll(fromFile), AudioTestKit.ReadAll(fromStream));
    }

    public void Dispose() => temp.Dispose();
}
