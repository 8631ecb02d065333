using SamAudio.Storage.Sharding;

namespace SamAudio.Storage.Tests.Sharding;

public sealed class FlacHeaderReaderTests
{
    [Fact]
    public async Task Streaminfo_gives_rate_channels_and_length_in_one_ranged_read()
    {
        var (read, calls) = TestWav.Reader(TestFlac.Create(44_100, 2, 44_100 * 3 + 17));

        var (header, reason) = await FlacHeaderReader.ReadAsync(read);

        Assert.Null(reason);
        Assert.Equal(new RecordingHeader("flac", 44_100, 2, 44_100 * 3 + 17), header);
        Assert.Equal(1, calls());
    }

    [Fact]
    public async Task A_stream_whose_encoder_did_not_record_its_length_has_no_duration()
    {
        var (read, _) = TestWav.Reader(TestFlac.Create(16_000, 1, 20_000, declareLength: false));

        var (header, _) = await FlacHeaderReader.ReadAsync(read);

        Assert.Equal((16_000, 1, (long?)null, (TimeSpan?)null), (header!.SampleRate, header.Channels, header.Frames, header.Duration));
    }

    [Theory]
    [InlineData("RIFF....WAVEfmt ", "does not start with the FLAC marker")]
    [InlineData("fLaC\u0080\u0000\u0000\u0022", "ends inside its FLAC header")]
    public void Other_bytes_give_a_reason_not_a_header(string start, string reason)
    {
        var (header, why) = FlacHeaderReader.Parse(System.Text.Encoding.Latin1.GetBytes(start));

        Assert.Null(header);
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void An_implausible_rate_is_refused_with_the_rate()
    {
        var bytes = TestFlac.Create(8_000, 1, 100);
        bytes[18] = 0; bytes[19] = 0; bytes[20] = (byte)(bytes[20] & 0x0F); // sample rate field: 0 Hz

        var (header, why) = FlacHeaderReader.Parse(bytes);

        Assert.Null(header);
        Assert.Contains("0 Hz", why, StringComparison.Ordinal);
    }
}
