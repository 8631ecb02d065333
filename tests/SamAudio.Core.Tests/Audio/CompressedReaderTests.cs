using System.Globalization;
using SamAudio.Core.Audio;

namespace SamAudio.Core.Tests.Audio;

/// <summary>FLAC, MP3, Ogg Vorbis and Ogg Opus files made by TestFiles/make.sh from stereo16.wav and mono24.wav.</summary>
public sealed class CompressedReaderTests : IDisposable
{
    private const int Frames = 12_000; // 0.75 s at 16 kHz
    private readonly TempDir temp = new();

    [Theory]
    [InlineData("stereo16.flac", "stereo16.wav", "pcm16")]
    [InlineData("mono24.flac", "mono24.wav", "pcm24")]
    [InlineData("flac-content.wav", "stereo16.wav", "pcm16")]
    public void Flac_decodes_to_exactly_the_samples_of_its_source(string flac, string wav, string encoding)
    {
        using var reader = AudioReaders.Open(AudioTestKit.TestFile(flac));
        using var reference = AudioReaders.Open(AudioTestKit.TestFile(wav));

        Assert.Equal(("flac", encoding), (reader.Info.Container, reader.Info.Encoding));
        Assert.Equal(reference.Info with { Container = "flac", MetadataChunks = [] }, reader.Info with { MetadataChunks = [] });
        Assert.Equal(AudioTestKit.ReadAll(reference), AudioTestKit.ReadAll(reader, 777));
        Assert.Empty(reader.Warnings);
    }

    [Theory]
    [InlineData("stereo16.mp3", "mp3", "mp3", 25)]
    [InlineData("stereo16.ogg", "ogg", "vorbis", 25)]
    public void Lossy_files_decode_with_the_source_length_and_timeline(string file, string container, string encoding, double minSnrDb)
    {
        using var reader = AudioReaders.Open(AudioTestKit.TestFile(file));
        using var reference = AudioReaders.Open(AudioTestKit.TestFile("stereo16.wav"));

        Assert.Equal((container, encoding, 16000, 2, (long)Frames),
            (reader.Info.Container, reader.Info.Encoding, reader.Info.SampleRate, reader.Info.Channels, reader.Info.Frames));
        var expected = AudioTestKit.ReadAll(reference);
        var actual = AudioTestKit.ReadAll(reader, 777);
        Assert.Equal(expected.Length, actual.Length);
        // Sample-aligned (no encoder delay left in): the SNR would collapse if the timeline were shifted.
        Assert.True(AudioTestKit.SnrDb(expected, actual) > minSnrDb, $"SNR {AudioTestKit.SnrDb(expected, actual):F1} dB");
        Assert.Empty(reader.Warnings);
    }

    [Theory]
    [InlineData("stereo16.flac", 0.0)]
    [InlineData("mono24.flac", 0.0)]
    [InlineData("stereo16.mp3", 0.0)] // a fresh NLayer decoder PreRollFrames early converges exactly
    [InlineData("stereo16-notag.mp3", 0.0)]
    [InlineData("stereo16.ogg", 0.0)] // NVorbis re-decodes from the start
    [InlineData("stereo16.opus", OpusFileReaderTests.SeekTolerance)]
    [InlineData("mono16.opus", OpusFileReaderTests.SeekTolerance)]
    public void SeekToFrame_gives_what_decoding_from_the_start_gives(string file, double tolerance)
    {
        using var reader = AudioReaders.Open(AudioTestKit.TestFile(file));
        var all = AudioTestKit.ReadAll(reader);
        var channels = reader.Info.Channels;
        foreach (var frame in new long[] { 7_001, 4_096, 1, 0, 11_999 })
        {
            reader.SeekToFrame(frame);
            var rest = AudioTestKit.ReadAll(reader, 500);
            Assert.Equal(all.Length - (frame * channels), rest.Length);
            for (var i = 0; i < rest.Length; i++) Assert.Equal(all[(frame * channels) + i], rest[i], tolerance);
        }
    }

    [Fact]
    public void Truncated_mp3_reads_to_the_real_end_and_warns()
    {
        var path = Cut("stereo16.mp3", n => n * 6 / 10);
        using var reader = AudioReaders.Open(path);

        Assert.InRange(reader.Info.Frames, Frames * 4 / 10, Frames * 7 / 10);
        var warning = Assert.Single(reader.Warnings);
        Assert.Contains("declares 12000 frames but holds " + reader.Info.Frames.ToString(CultureInfo.InvariantCulture), warning);
        Assert.Equal(reader.Info.Frames * 2, AudioTestKit.ReadAll(reader).Length);
        Assert.Single(reader.Warnings);
    }

    [Fact]
    public void Truncated_ogg_reads_the_complete_pages_and_warns()
    {
        // long.ogg: headers, a page ending at granule 88704, a last page cut here.
        var path = Cut("long.ogg", n => n - 1_000);
        using var reader = AudioReaders.Open(path);
        using var whole = AudioReaders.Open(AudioTestKit.TestFile("long.ogg"));

        Assert.Equal(88_704, reader.Info.Frames);
        Assert.Contains("holds 88704", Assert.Single(reader.Warnings));
        var expected = AudioTestKit.ReadAll(whole).AsSpan(0, 88_704).ToArray();
        Assert.Equal(expected, AudioTestKit.ReadAll(reader));
    }

    [Fact]
    public void Vorbis_seeks_forward_and_back_to_the_samples_of_a_whole_decode()
    {
        using var reader = AudioReaders.Open(AudioTestKit.TestFile("long.ogg"));
        var all = AudioTestKit.ReadAll(reader);
        foreach (var frame in new long[] { 50_001, 90_000, 7 })
        {
            reader.SeekToFrame(frame);
            Assert.Equal(all.AsSpan((int)frame).ToArray(), AudioTestKit.ReadAll(reader));
        }
    }

    [Fact]
    public void Truncated_flac_reads_to_its_last_whole_frame_and_warns()
    {
        // libsndfile 1.2 rejected this file ("lost sync"); the managed reader keeps every whole frame.
        // stereo16.flac holds frames of 4096, 4096 and 3808 samples after 8 KB of metadata padding; cut the last.
        var path = Cut("stereo16.flac", n => n - 1_000);
        using var reader = AudioReaders.Open(path);
        using var whole = AudioReaders.Open(AudioTestKit.TestFile("stereo16.flac"));

        Assert.Equal(8_192, reader.Info.Frames);
        var warning = Assert.Single(reader.Warnings);
        Assert.Contains("declares 12000 frames but holds " + reader.Info.Frames.ToString(CultureInfo.InvariantCulture), warning);
        var expected = AudioTestKit.ReadAll(whole).AsSpan(0, (int)reader.Info.Frames * 2).ToArray();
        Assert.Equal(expected, AudioTestKit.ReadAll(reader));
    }

    [Fact]
    public void Corrupt_flac_is_rejected_at_open()
    {
        var bytes = File.ReadAllBytes(AudioTestKit.TestFile("stereo16.flac"));
        var path = temp.File("corrupt.flac");
        File.WriteAllBytes(path, bytes.AsSpan(0, 30).ToArray());
        Assert.Throws<InvalidDataException>(() => AudioReaders.Open(path));
    }

    public void Dispose() => temp.Dispose();

    private string Cut(string file, Func<int, int> keepBytes)
    {
        var path = temp.File("cut-" + file);
        var bytes = File.ReadAllBytes(AudioTestKit.TestFile(file));
        File.WriteAllBytes(path, bytes.AsSpan(0, keepBytes(bytes.Length)).ToArray());
        return path;
    }
}
