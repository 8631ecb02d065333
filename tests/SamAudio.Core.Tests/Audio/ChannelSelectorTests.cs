using SamAudio.Core.Audio;

namespace SamAudio.Core.Tests.Audio;

public sealed class ChannelSelectorTests
{
    private static readonly float[] Stereo = [0.5f, -0.25f, 1f, 0f, -1f, 0.5f, 0.2f, 0.4f];

    [Fact]
    public void Index_picks_that_channel()
    {
        var left = AudioTestKit.ReadAll(new ChannelSelector(new ArraySampleProvider(Stereo, 8000, 2), ChannelSelection.Index(0)));
        var right = AudioTestKit.ReadAll(new ChannelSelector(new ArraySampleProvider(Stereo, 8000, 2), ChannelSelection.Index(1)));

        Assert.Equal([0.5f, 1f, -1f, 0.2f], left);
        Assert.Equal([-0.25f, 0f, 0.5f, 0.4f], right);
    }

    [Fact]
    public void Mix_averages_all_channels()
    {
        var mix = AudioTestKit.ReadAll(new ChannelSelector(new ArraySampleProvider(Stereo, 8000, 2), ChannelSelection.Mix));

        Assert.Equal([0.125f, 0.5f, -0.25f, 0.3f], mix, (a, b) => Math.Abs(a - b) < 1e-7);
    }

    [Fact]
    public void Output_is_mono_at_the_source_rate()
    {
        var selector = new ChannelSelector(new ArraySampleProvider(new float[12], 44100, 6), ChannelSelection.Index(5));

        Assert.Equal((1, 44100), (selector.WaveFormat.Channels, selector.WaveFormat.SampleRate));
        Assert.Equal(2, AudioTestKit.ReadAll(selector).Length);
    }

    [Fact]
    public void Source_returning_partial_frames_still_yields_whole_frames()
    {
        var selector = new ChannelSelector(new ArraySampleProvider(Stereo, 8000, 2, maxPerRead: 3), ChannelSelection.Index(1));

        Assert.Equal([-0.25f, 0f, 0.5f, 0.4f], AudioTestKit.ReadAll(selector));
    }

    [Fact]
    public void Mono_source_passes_through_for_mix_and_index_zero()
    {
        float[] mono = [0.1f, 0.2f, 0.3f];
        Assert.Equal(mono, AudioTestKit.ReadAll(new ChannelSelector(new ArraySampleProvider(mono, 8000), ChannelSelection.Mix)));
        Assert.Equal(mono, AudioTestKit.ReadAll(new ChannelSelector(new ArraySampleProvider(mono, 8000), ChannelSelection.Index(0))));
    }

    [Theory]
    [InlineData("stereo16.wav")]
    [InlineData("stereo16.flac")]
    public void Stereo_file_gives_its_left_right_or_mixed_channel(string file)
    {
        using var stereoReader = AudioReaders.Open(AudioTestKit.TestFile(file));
        var stereo = AudioTestKit.ReadAll(stereoReader);
        float[] Select(string selection)
        {
            using var reader = AudioReaders.Open(AudioTestKit.TestFile(file));
            return AudioTestKit.ReadAll(new ChannelSelector(reader, ChannelSelection.Parse(selection)));
        }

        var (left, right, mix) = (Select("0"), Select("1"), Select("mix"));
        Assert.Equal(12_000, left.Length);
        for (var i = 0; i < left.Length; i++)
        {
            Assert.Equal(stereo[2 * i], left[i]);
            Assert.Equal(stereo[(2 * i) + 1], right[i]);
            Assert.Equal((left[i] + right[i]) / 2, mix[i], 1e-7f);
        }

        Assert.NotEqual(left, right);
    }

    [Fact]
    public void Index_past_the_last_channel_is_rejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new ChannelSelector(new ArraySampleProvider(Stereo, 8000, 2), ChannelSelection.Index(2)));
        Assert.Contains("2 channel", error.Message);
    }

    [Theory]
    [InlineData("mix")]
    [InlineData("3")]
    public void Read_allocates_nothing_in_steady_state(string selection)
    {
        var selector = new ChannelSelector(new EndlessSineProvider(48000, 4), ChannelSelection.Parse(selection));
        var buffer = new float[1024];
        // The first call sizes the scratch buffer; the rest let the JIT settle (its tier-up can allocate on this thread).
        for (var i = 0; i < 512; i++) selector.Read(buffer);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 512; i++) selector.Read(buffer);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
