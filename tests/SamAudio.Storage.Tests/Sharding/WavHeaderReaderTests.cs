using SamAudio.Storage.Sharding;

namespace SamAudio.Storage.Tests.Sharding;

public sealed class WavHeaderReaderTests
{
    [Fact]
    public async Task Pcm_header_gives_rate_channels_and_frame_count()
    {
        var bytes = TestWav.Create(48_000, 2, 12_345);
        var (read, _) = TestWav.Reader(bytes);

        var (info, reason) = await WavHeaderReader.ReadAsync(read, bytes.Length);

        Assert.Null(reason);
        Assert.NotNull(info);
        Assert.Equal((48_000, 2, 4, 12_345L), (info.SampleRate, info.Channels, info.BlockAlign, info.Frames));
        Assert.Equal(bytes.Length - 12_345 * 4, info.DataOffset);
    }

    [Fact]
    public async Task Data_chunk_after_a_large_chunk_is_found_with_one_more_ranged_read()
    {
        var bytes = TestWav.Create(16_000, 1, 1_000, padChunkBytes: 100_000);
        var (read, calls) = TestWav.Reader(bytes);

        var (info, _) = await WavHeaderReader.ReadAsync(read, bytes.Length);

        Assert.Equal(1_000, info!.Frames);
        Assert.Equal(2, calls());
    }

    [Fact]
    public async Task Rf64_takes_the_data_size_from_ds64()
    {
        var bytes = TestWav.Create(8_000, 1, 777, rf64: true);
        var (read, _) = TestWav.Reader(bytes);

        var (info, _) = await WavHeaderReader.ReadAsync(read, bytes.Length);

        Assert.Equal(777, info!.Frames);
    }

    [Fact]
    public async Task Truncated_data_is_clamped_to_the_blob_length()
    {
        var bytes = TestWav.Create(16_000, 1, 1_000);
        var truncated = bytes.AsSpan(0, bytes.Length - 500).ToArray();
        var (read, _) = TestWav.Reader(truncated);

        var (info, _) = await WavHeaderReader.ReadAsync(read, truncated.Length);

        Assert.Equal(750, info!.Frames);
    }

    [Theory]
    [InlineData("fLaC\0\0\0\"\u0010\u0000\u0010\u0000", "RIFF/WAVE")]
    [InlineData("OggS", "shorter")]
    public async Task Other_containers_give_no_format_and_a_reason(string start, string reasonPart)
    {
        var bytes = System.Text.Encoding.Latin1.GetBytes(start);
        var (read, _) = TestWav.Reader(bytes);

        var (info, reason) = await WavHeaderReader.ReadAsync(read, bytes.Length);

        Assert.Null(info);
        Assert.Contains(reasonPart, reason, StringComparison.Ordinal);
    }
}
