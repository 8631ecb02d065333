using SamAudio.Core.Audio;
using SamAudio.Core.Dsp;
using Xunit.Abstractions;

namespace SamAudio.Core.Tests.Audio;

/// <summary>
/// Integer-ratio resampling by blocks of fast convolution (<see cref="BlockFftResampling"/>) against the direct dot
/// products of the same filter, and the two properties the product's determinism rests on: the bytes do not depend on
/// how the stream is read, and a stream started a whole number of blocks later gives the same bytes past its edge.
/// </summary>
public sealed class BlockResamplingTests(ITestOutputHelper output)
{
    public static TheoryData<int, int, string> Ratios => new()
    {
        { 48000, 16000, "model" }, { 16000, 48000, "output" }, { 32000, 16000, "model" }, { 16000, 32000, "output" },
        { 96000, 16000, "model" }, { 16000, 96000, "output" }, { 8000, 16000, "model" }, { 16000, 8000, "output" },
        { 48000, 16000, "reference" }, { 16000, 48000, "reference" },
    };

    [Theory]
    [MemberData(nameof(Ratios))]
    public void Blocks_equal_the_direct_filter_to_float_rounding_at_every_length(int from, int to, string design)
    {
        var worst = 0.0;
        foreach (var frames in new[] { 1, 2, 7, 500, 1599 * from / 16000, (4 * 1600 * from / 16000) + 3, 75_001 })
        {
            var input = Signal(frames, from, seed: frames);
            var blocks = AudioTestKit.ReadAll(new Resampler(new ArraySampleProvider(input, from, maxPerRead: 999), to, Design(design)), 1000);
            var direct = AudioTestKit.ReadAll(new Resampler(new ArraySampleProvider(input, from), to, Design(design), blocksAllowed: false), 1000);

            Assert.Equal(direct.Length, blocks.Length);
            var peak = Math.Max(input.Max(Math.Abs), 1e-6f);
            for (var i = 0; i < direct.Length; i++) worst = Math.Max(worst, Math.Abs(direct[i] - blocks[i]) / peak);
        }

        output.WriteLine($"{from} -> {to} ({design}): largest difference {worst:E2} of the input's peak");
        Assert.True(worst < 2e-6, $"blocks differ from the direct filter by {worst:E2} of the peak");
    }

    [Theory]
    [InlineData(48000, 16000, 2)]
    [InlineData(16000, 48000, 2)]
    [InlineData(96000, 16000, 1)]
    public void Bytes_do_not_depend_on_read_sizes_and_channels_stay_apart(int from, int to, int channels)
    {
        var mono = Signal(41_234, from, seed: 3);
        var interleaved = new float[mono.Length * channels];
        for (var i = 0; i < mono.Length; i++)
        {
            for (var c = 0; c < channels; c++) interleaved[(i * channels) + c] = c == 0 ? mono[i] : -mono[i] / 2;
        }

        var a = AudioTestKit.ReadAll(new Resampler(new ArraySampleProvider(interleaved, from, channels), to), 4096);
        var b = AudioTestKit.ReadAll(new Resampler(new ArraySampleProvider(interleaved, from, channels, maxPerRead: 131), to), 17);

        Assert.Equal(a, b);
        if (channels == 2)
        {
            for (var i = 0; i < a.Length / 2; i++) Assert.Equal(-a[2 * i] / 2, a[(2 * i) + 1]);
        }
    }

    [Theory]
    [InlineData(48000, 16000)]
    [InlineData(16000, 48000)]
    [InlineData(8000, 16000)]
    public void A_stream_started_whole_blocks_later_gives_the_same_bytes_past_its_edge(int from, int to)
    {
        // Shards read from a grid position of the recording: their resamplers must meet the same blocks as the whole run.
        var lowRate = Math.Min(from, to);
        var inputPerBlock = BlockFftResampling.BlockFrames * from / lowRate;
        var outputPerBlock = BlockFftResampling.BlockFrames * to / lowRate;
        var input = Signal(30 * inputPerBlock, from, seed: 11);
        var whole = AudioTestKit.ReadAll(new Resampler(new ArraySampleProvider(input, from), to), 1000);

        const int laterBlocks = 7;
        var later = AudioTestKit.ReadAll(new Resampler(new ArraySampleProvider(input[(laterBlocks * inputPerBlock)..], from), to), 1000);

        // Past two blocks from the new edge (a block and the filter's reach), and short of the end by as much.
        var edge = 2 * outputPerBlock;
        var offset = laterBlocks * outputPerBlock;
        Assert.Equal(whole.Length - offset, later.Length);
        Assert.Equal(whole.AsSpan(offset + edge, later.Length - (2 * edge)).ToArray(), later.AsSpan(edge, later.Length - (2 * edge)).ToArray());
        Assert.NotEqual(whole[offset], later[0]); // the new edge is mirrored, so the test can see a difference
    }

    [Fact]
    public void Rates_that_are_no_integer_ratio_keep_the_direct_filter()
    {
        Assert.Null(BlockFftResampling.For(SincResamplingKernel.Create(44100, 16000, ResamplingDesign.ModelInput)));
        Assert.Null(BlockFftResampling.For(SincResamplingKernel.Create(16000, 22050)));
        Assert.NotNull(BlockFftResampling.For(SincResamplingKernel.Create(48000, 16000, ResamplingDesign.ModelInput)));
        Assert.NotNull(BlockFftResampling.For(SincResamplingKernel.Create(16000, 48000)));
    }

    private static ResamplingDesign Design(string name) => name switch
    {
        "model" => ResamplingDesign.ModelInput,
        "output" => ResamplingDesign.Output,
        _ => ResamplingDesign.Reference,
    };

    /// <summary>Noise, a tone near the top of the lower band and a loud burst beside near-silence.</summary>
    private static float[] Signal(int frames, int rate, int seed)
    {
        var random = new Random(seed);
        var x = new float[frames];
        for (var i = 0; i < frames; i++)
        {
            var level = (i / (rate / 10)) % 3 == 0 ? 0.9 : 1e-3;
            x[i] = (float)((level * ((2 * random.NextDouble()) - 1) * 0.5) + (0.3 * Math.Sin(2 * Math.PI * 7_300 * i / rate)));
        }

        return x;
    }
}
