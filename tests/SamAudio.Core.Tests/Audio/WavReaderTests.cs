using SamAudio.Core.Audio;

namespace SamAudio.Core.Tests.Audio;

public sealed class WavReaderTests : IDisposable
{
    private const int Frames = 4001; // odd, so 8/24-bit data chunks get a pad byte
    private readonly TempDir temp = new();

    public static TheoryData<string, WavSpec> Encodings => new()
    {
        { "pcm8", new WavSpec(8000, 1, 8) },
        { "pcm16", new WavSpec(44100, 2, 16) },
        { "pcm24", new WavSpec(48000, 1, 24) },
        { "pcm32", new WavSpec(96000, 2, 32) },
        { "float32", new WavSpec(48000, 3, 32, Float: true) },
        { "float64", new WavSpec(22050, 1, 64, Float: true) },
        { "pcm24", new WavSpec(48000, 6, 24, Extensible: true) },
        { "pcm16", new WavSpec(16000, 8, 16, Extensible: true) },
        { "float32", new WavSpec(32000, 2, 32, Float: true, Extensible: true) },
        { "pcm16", new WavSpec(16000, 2, 16) { Rf64 = true } },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Each_encoding_decodes_to_the_stored_samples(string encoding, WavSpec spec)
    {
        var path = TestWav.Write(temp.File("x.wav"), spec, Frames);
        using var reader = AudioReaders.Open(path);

        Assert.Equal(encoding, reader.Info.Encoding);
        Assert.Equal(spec.Rf64 ? "rf64" : "wav", reader.Info.Container);
        Assert.Equal((spec.SampleRate, spec.Channels, (long)Frames), (reader.Info.SampleRate, reader.Info.Channels, reader.Info.Frames));
        Assert.Equal((spec.SampleRate, spec.Channels), (reader.WaveFormat.SampleRate, reader.WaveFormat.Channels));
        var expected = TestWav.ExpectedInterleaved(spec, 0, Frames);
        var actual = AudioTestKit.ReadAll(reader, 333);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-7f);
        Assert.Empty(reader.Warnings);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Truncated_file_reads_to_the_real_end_and_warns(bool rf64)
    {
        var spec = new WavSpec(16000, 2, 16) { Rf64 = rf64, DeclaredFrames = 10_000 };
        var path = TestWav.Write(temp.File("cut.wav"), spec, Frames);
        using var reader = AudioReaders.Open(path);

        Assert.Equal(Frames, reader.Info.Frames);
        var warning = Assert.Single(reader.Warnings);
        Assert.Contains("10000", warning);
        Assert.Contains(Frames.ToString(System.Globalization.CultureInfo.InvariantCulture), warning);
        Assert.Equal(TestWav.ExpectedInterleaved(spec, 0, Frames), AudioTestKit.ReadAll(reader));
    }

    [Fact]
    public void File_cut_inside_a_frame_yields_only_whole_frames()
    {
        var spec = new WavSpec(16000, 2, 24) { DeclaredFrames = 100 };
        var bytes = TestWav.Build(spec, 50);
        var path = temp.File("cut-mid-frame.wav");
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - 4).ToArray()); // 1 frame = 6 bytes; drop part of frame 49
        using var reader = AudioReaders.Open(path);

        Assert.Equal(49, reader.Info.Frames);
        Assert.Equal(49 * 2, AudioTestKit.ReadAll(reader).Length);
    }

    [Fact]
    public void Metadata_chunks_are_exposed_byte_for_byte_in_file_order_without_layout_chunks()
    {
        var bext = Enumerable.Range(0, 602).Select(i => (byte)i).ToArray();
        var ixml = "<BWFXML><PROJECT>owls</PROJECT></BWFXML>"u8.ToArray();
        var guano = "GUANO|Version: 1.0\nMake: Wildlife Acoustics\n"u8.ToArray();
        var list = "INFOICMT\u0005\0\0\0odd!!\0"u8.ToArray(); // odd inner length, padded chunk
        var spec = new WavSpec(16000, 1, 16)
        {
            ChunksBeforeData = [("bext", bext), ("JUNK", new byte[28]), ("iXML", ixml), ("fact", new byte[4])],
            ChunksAfterData = [("guan", guano), ("LIST", list)],
        };
        using var reader = AudioReaders.Open(TestWav.Write(temp.File("meta.wav"), spec, Frames));

        var chunks = reader.Info.MetadataChunks;
        Assert.Equal(["bext", "iXML", "guan", "LIST"], chunks.Select(c => c.Id));
        Assert.Equal(bext, chunks[0].Data);
        Assert.Equal(ixml, chunks[1].Data);
        Assert.Equal(guano, chunks[2].Data);
        Assert.Equal(list, chunks[3].Data);
        Assert.Equal(TestWav.ExpectedInterleaved(spec, 0, Frames), AudioTestKit.ReadAll(reader));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2999)]
    [InlineData(4000)]
    public void SeekToFrame_lands_on_that_frame(long frame)
    {
        var spec = new WavSpec(48000, 3, 24);
        using var reader = AudioReaders.Open(TestWav.Write(temp.File("seek.wav"), spec, Frames));
        AudioTestKit.ReadAll(reader); // read to the end first, so the seek really moves back

        reader.SeekToFrame(frame);
        var rest = AudioTestKit.ReadAll(reader, 7);

        Assert.Equal(TestWav.ExpectedInterleaved(spec, frame, (int)(Frames - frame)), rest);
    }

    [Fact]
    public void Read_after_end_returns_zero()
    {
        using var reader = AudioReaders.Open(TestWav.Write(temp.File("end.wav"), new WavSpec(8000, 1, 16), 10));
        AudioTestKit.ReadAll(reader);
        Assert.Equal(0, reader.Read(new float[16]));
        reader.SeekToFrame(10);
        Assert.Equal(0, reader.Read(new float[16]));
    }

    [Fact]
    public void Unknown_bytes_are_rejected_whatever_the_extension()
    {
        var path = temp.File("noise.wav");
        File.WriteAllBytes(path, Enumerable.Range(0, 500).Select(i => (byte)(i * 7)).ToArray());
        Assert.Throws<InvalidDataException>(() => AudioReaders.Open(path));
    }

    [Fact]
    public void Wav_without_a_data_chunk_is_rejected()
    {
        var bytes = TestWav.Build(new WavSpec(8000, 1, 16), 10);
        var path = temp.File("header-only.wav");
        File.WriteAllBytes(path, bytes.AsSpan(0, 36).ToArray());
        Assert.Throws<InvalidDataException>(() => AudioReaders.Open(path));
    }

    public void Dispose() => temp.Dispose();
}
