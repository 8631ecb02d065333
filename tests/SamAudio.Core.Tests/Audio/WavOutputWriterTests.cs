using System.Buffers.Binary;
using System.Text;
using SamAudio.Core.Audio;

namespace SamAudio.Core.Tests.Audio;

public sealed class WavOutputWriterTests : IDisposable
{
    private static readonly MetadataChunk[] Chunks =
    [
        new("bext", Enumerable.Range(0, 602).Select(i => (byte)(i * 3)).ToArray()),
        new("iXML", "<BWFXML><NOTE>owl</NOTE></BWFXML>"u8.ToArray()),
        new("guan", "GUANO|Version: 1.0\nLoc Position: 51.5 -0.1\n"u8.ToArray()),
        new("LIST", "INFOINAM\u0003\0\0\0ab\0\0"u8.ToArray()),
        new("odd1", [1, 2, 3]), // odd length: padded in the file, exact in the chunk
    ];

    private readonly TempDir temp = new();

    [Fact]
    public void Written_samples_and_chunks_read_back_exactly()
    {
        var path = temp.File("out/target.wav");
        var samples = AudioTestKit.Sine(10_001, 440, 16000, amplitude: 0.9);
        using (var writer = WavOutputWriter.Create(path, 16000, Chunks))
        {
            writer.Write(samples.AsSpan(0, 5000));
            writer.Write(samples.AsSpan(5000));
            Assert.Equal(10_001, writer.FramesWritten);
            writer.Complete();
        }

        using var reader = AudioReaders.Open(path);
        Assert.Equal(("wav", "float32", 16000, 1, 10_001L),
            (reader.Info.Container, reader.Info.Encoding, reader.Info.SampleRate, reader.Info.Channels, reader.Info.Frames));
        Assert.Equal(samples, AudioTestKit.ReadAll(reader));
        AssertSameChunks(Chunks, reader.Info.MetadataChunks);
        Assert.Empty(reader.Warnings);
    }

    [Fact]
    public void Bext_and_other_chunks_sit_between_fmt_and_data()
    {
        var path = temp.File("order.wav");
        using (var writer = WavOutputWriter.Create(path, 8000, Chunks))
        {
            writer.Write(new float[10]);
            writer.Complete();
        }

        var ids = TopLevelChunkIds(File.ReadAllBytes(path));
        Assert.Equal(["JUNK", "fmt ", "bext", "iXML", "guan", "LIST", "odd1", "fact", "data"], ids);
    }

    [Fact]
    public void Metadata_survives_a_read_write_round_trip_byte_for_byte()
    {
        var spec = new WavSpec(48000, 2, 24)
        {
            ChunksBeforeData = [("bext", Chunks[0].Data), ("iXML", Chunks[1].Data)],
            ChunksAfterData = [("guan", Chunks[2].Data), ("LIST", Chunks[3].Data)],
        };
        using var input = AudioReaders.Open(TestWav.Write(temp.File("in.wav"), spec, 2000));
        var mono = AudioTestKit.ReadAll(new ChannelSelector(input, ChannelSelection.Index(1)));
        var path = temp.File("round-trip.wav");
        using (var writer = WavOutputWriter.Create(path, input.Info.SampleRate, input.Info.MetadataChunks))
        {
            writer.Write(mono);
            writer.Complete();
        }

        using var output = AudioReaders.Open(path);
        AssertSameChunks(Chunks[..4], output.Info.MetadataChunks);
        Assert.Equal(mono, AudioTestKit.ReadAll(output));
    }

    [Fact]
    public void Data_over_the_threshold_makes_an_RF64_file_with_ds64_sizes()
    {
        var path = temp.File("big.wav");
        var samples = AudioTestKit.Sine(3000, 1000, 16000);
        using (var writer = WavOutputWriter.Create(path, 16000, Chunks[..1], rf64ThresholdBytes: 4096))
        {
            writer.Write(samples);
            writer.Complete();
        }

        var bytes = File.ReadAllBytes(path);
        Assert.Equal("RF64", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal("ds64", Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(bytes.Length - 8, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(20))); // RIFF size
        Assert.Equal(3000 * 4, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(28))); // data size
        Assert.Equal(3000, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(36))); // frames
        var data = bytes.AsSpan().IndexOf("data"u8);
        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(data + 4)));

        using var reader = AudioReaders.Open(path);
        Assert.Equal(("rf64", 3000L), (reader.Info.Container, reader.Info.Frames));
        Assert.Equal(samples, AudioTestKit.ReadAll(reader));
        AssertSameChunks(Chunks[..1], reader.Info.MetadataChunks);
    }

    [Fact]
    public void Data_under_the_threshold_stays_plain_RIFF()
    {
        var path = temp.File("small.wav");
        using (var writer = WavOutputWriter.Create(path, 16000, [], rf64ThresholdBytes: 1 << 20))
        {
            writer.Write(new float[3000]);
            writer.Complete();
        }

        Assert.Equal("RIFF", Encoding.ASCII.GetString(File.ReadAllBytes(path), 0, 4));
    }

    [Fact]
    public void No_final_file_exists_until_Complete()
    {
        var path = temp.File("atomic.wav");
        using var writer = WavOutputWriter.Create(path, 16000, Chunks);
        writer.Write(new float[100]);

        Assert.False(File.Exists(path));
        Assert.True(File.Exists(path + ".partial"));
        writer.Complete();
        Assert.True(File.Exists(path));
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public void Abandoned_output_is_deleted_and_an_older_final_file_is_kept()
    {
        var path = temp.File("abandoned.wav");
        File.WriteAllText(path, "previous run");
        using (var writer = WavOutputWriter.Create(path, 16000, []))
        {
            writer.Write(new float[100]);
        }

        Assert.False(File.Exists(path + ".partial"));
        Assert.Equal("previous run", File.ReadAllText(path));
    }

    [Fact]
    public void Samples_beyond_full_scale_are_counted_and_kept()
    {
        var path = temp.File("clip.wav");
        using (var writer = WavOutputWriter.Create(path, 16000, []))
        {
            writer.Write([0.5f, 1f, -1f, 1.5f, -2f, 0f]);
            Assert.Equal(2, writer.ClippedSamples);
            writer.Complete();
        }

        using var reader = AudioReaders.Open(path);
        Assert.Equal([0.5f, 1f, -1f, 1.5f, -2f, 0f], AudioTestKit.ReadAll(reader));
    }

    [Theory]
    [InlineData("toolong")]
    [InlineData("data")]
    [InlineData("fmt ")]
    public void Layout_or_malformed_chunk_ids_are_rejected(string id)
    {
        Assert.Throws<ArgumentException>(() => WavOutputWriter.Create(temp.File("bad.wav"), 16000, [new MetadataChunk(id, [1])]));
        Assert.False(File.Exists(temp.File("bad.wav.partial")));
    }

    [Theory]
    [InlineData(10_001, uint.MaxValue)]
    [InlineData(70_000, uint.MaxValue)] // whole 64 KB blocks go out without staging
    [InlineData(0, uint.MaxValue)]
    [InlineData(70_000, 100_000L)] // RF64 (ds64 sizes in the header written first)
    [InlineData(9_000_000, uint.MaxValue)] // 36 MB: flushed to disk in the background while it is written
    public void An_announced_length_gives_the_same_file_hashed_as_it_was_written(int frames, long rf64Threshold)
    {
        var samples = AudioTestKit.Sine(frames, 440, 16000, amplitude: 0.9);
        string plain = temp.File("plain.wav"), announced = temp.File("announced.wav");
        using (var writer = WavOutputWriter.Create(plain, 16000, Chunks, rf64Threshold))
        {
            WriteInUnevenPieces(writer, samples);
            writer.Complete();
            Assert.Null(writer.Sha256);
        }

        string? sha;
        using (var writer = WavOutputWriter.CreateOfLength(announced, 16000, Chunks, frames, rf64Threshold))
        {
            WriteInUnevenPieces(writer, samples);
            writer.Complete();
            sha = writer.Sha256;
        }

        byte[] bytes = File.ReadAllBytes(announced);
        Assert.Equal(File.ReadAllBytes(plain), bytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), sha);
    }

    [Theory]
    [InlineData(999)]
    [InlineData(1001)]
    public void An_announced_length_not_met_is_refused_and_leaves_no_file(int written)
    {
        var path = temp.File("short.wav");
        using (var writer = WavOutputWriter.CreateOfLength(path, 16000, Chunks, 1000))
        {
            writer.Write(new float[written]);
            var e = Assert.Throws<InvalidOperationException>(writer.Complete);
            Assert.Contains("announced with 1000 frames", e.Message);
            Assert.False(File.Exists(path));
        }

        Assert.False(File.Exists(path + ".partial"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_allocates_nothing_in_steady_state(bool announced)
    {
        using var writer = announced
            ? WavOutputWriter.CreateOfLength(temp.File("alloc.wav"), 16000, Chunks, 1L << 30)
            : WavOutputWriter.Create(temp.File("alloc.wav"), 16000, Chunks);
        var block = AudioTestKit.Sine(1024, 440, 16000);
        writer.Write(block);

        // The fewest of three rounds: a collection started by another test's thread can shift this thread's count by
        // part of an allocation context (a loaded fresh-clone run once saw 4,080 bytes); a real allocation per write
        // would show in every round.
        long fewest = long.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 512; i++) writer.Write(block);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
    }

    public void Dispose() => temp.Dispose();

    /// <summary>Pieces of 1 to 20,000 samples: some fill the staging buffer part way, some pass whole blocks.</summary>
    private static void WriteInUnevenPieces(WavOutputWriter writer, float[] samples)
    {
        int[] sizes = [1, 7, 16_384, 20_000, 333];
        for (int at = 0, i = 0; at < samples.Length; i++)
        {
            int n = Math.Min(sizes[i % sizes.Length], samples.Length - at);
            writer.Write(samples.AsSpan(at, n));
            at += n;
        }
    }

    private static void AssertSameChunks(IReadOnlyList<MetadataChunk> expected, IReadOnlyList<MetadataChunk> actual)
    {
        Assert.Equal(expected.Select(c => c.Id), actual.Select(c => c.Id));
        for (var i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Data, actual[i].Data);
    }

    private static List<string> TopLevelChunkIds(byte[] file)
    {
        var ids = new List<string>();
        for (var at = 12; at + 8 <= file.Length;)
        {
            ids.Add(Encoding.ASCII.GetString(file, at, 4));
            var size = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 4));
            at += 8 + (int)size + (int)(size % 2);
        }

        return ids;
    }
}
