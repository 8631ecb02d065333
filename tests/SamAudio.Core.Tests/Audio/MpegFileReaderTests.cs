using System.Globalization;
using SamAudio.Core.Audio;
using SamAudio.Core.Audio.Decoders;

namespace SamAudio.Core.Tests.Audio;

/// <summary>MP3 through NLayer with our own frame index and LAME tag (TestFiles/make.sh, samples/).</summary>
public sealed class MpegFileReaderTests : IDisposable
{
    private const int Frames = 12_000;
    private readonly TempDir temp = new();

    [Fact]
    public void Mp3_without_a_lame_tag_decodes_every_sample_untrimmed()
    {
        using var reader = AudioReaders.Open(AudioTestKit.TestFile("stereo16-notag.mp3"));
        using var reference = AudioReaders.Open(AudioTestKit.TestFile("stereo16.wav"));

        // 23 MPEG-2 frames of 576 samples; the source sits after LAME's 576 and the decoder's 529 samples.
        Assert.Equal(23 * 576, reader.Info.Frames);
        var actual = AudioTestKit.ReadAll(reader, 333);
        Assert.Equal(23 * 576 * 2, actual.Length);
        var expected = AudioTestKit.ReadAll(reference);
        var shift = (576 + MpegFileReader.DecoderDelay) * 2;
        Assert.True(AudioTestKit.SnrDb(expected, actual.AsSpan(shift, expected.Length)) > 25);
        Assert.Empty(reader.Warnings);
    }

    [Fact]
    public void Mp3_from_a_stream_reads_like_the_file()
    {
        var path = AudioTestKit.TestFile("stereo16.mp3");
        using var fromFile = AudioReaders.Open(path);
        using var fromStream = MpegFileReader.Open(new MemoryStream(File.ReadAllBytes(path)), "stereo16.mp3");

        Assert.Equal(fromFile.Info, fromStream.Info);
        Assert.Equal(AudioTestKit.ReadAll(fromFile), AudioTestKit.ReadAll(fromStream));
    }

    [Fact]
    public void Mp3_behind_an_id3v2_tag_is_recognised_and_reads_the_same()
    {
        var source = File.ReadAllBytes(AudioTestKit.TestFile("stereo16.mp3"));
        byte[] tag = [.. "ID3"u8, 4, 0, 0, 0, 0, 0, 20, .. new byte[20]];
        var path = temp.File("tagged.bin");
        File.WriteAllBytes(path, [.. tag, .. source]);
        using var tagged = AudioReaders.Open(path);
        using var plain = AudioReaders.Open(AudioTestKit.TestFile("stereo16.mp3"));

        Assert.Equal(plain.Info, tagged.Info);
        Assert.Equal(AudioTestKit.ReadAll(plain), AudioTestKit.ReadAll(tagged));
    }

    [Fact]
    public void Truncated_mp3_without_a_tag_reads_the_whole_frames_and_warns()
    {
        var bytes = File.ReadAllBytes(AudioTestKit.TestFile("stereo16-notag.mp3"));
        var path = temp.File("cut-notag.mp3");
        File.WriteAllBytes(path, bytes.AsSpan(0, (bytes.Length / 2) + 7).ToArray());
        using var reader = AudioReaders.Open(path);

        Assert.Equal(0, reader.Info.Frames % 576);
        Assert.InRange(reader.Info.Frames, Frames * 4 / 10, Frames * 7 / 10);
        Assert.Contains("holds " + reader.Info.Frames.ToString(CultureInfo.InvariantCulture), Assert.Single(reader.Warnings));
        Assert.Equal(reader.Info.Frames * 2, AudioTestKit.ReadAll(reader).Length);
    }

    [Fact]
    public void Sample_mp3_decodes_to_the_length_of_its_source()
    {
        // samples/make_samples.py encodes 8.0 s at 22.05 kHz with LAME.
        var path = Path.Combine(AudioTestKit.RepositoryRoot(), "samples", "crow-by-the-water.mp3");
        using var reader = AudioReaders.Open(path);

        Assert.Equal(("mp3", "mp3", 22_050, 1, 176_400L),
            (reader.Info.Container, reader.Info.Encoding, reader.Info.SampleRate, reader.Info.Channels, reader.Info.Frames));
        Assert.Equal(176_400, AudioTestKit.ReadAll(reader, 4096).Length);
        Assert.Empty(reader.Warnings);
    }

    [Fact]
    public void Sniff_tells_mpeg_frames_from_flac_frame_sync()
    {
        Assert.Equal(AudioReaders.AudioFormat.Mp3, AudioReaders.Sniff([0xFF, 0xF3, 0xC8, 0x44]));
        Assert.Equal(AudioReaders.AudioFormat.Unknown, AudioReaders.Sniff([0xFF, 0xF8, 0xC9, 0x18]));
    }

    public void Dispose() => temp.Dispose();
}
