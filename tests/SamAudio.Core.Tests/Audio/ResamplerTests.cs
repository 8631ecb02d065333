using SamAudio.Core.Audio;
using SamAudio.Core.Dsp;

namespace SamAudio.Core.Tests.Audio;

public sealed class ResamplerTests
{
    public static TheoryData<int, int> RatePairs => new()
    {
        { 48000, 16000 }, { 44100, 16000 }, { 22050, 16000 }, { 16000, 48000 }, { 16000, 44100 },
        { 8000, 16000 }, { 96000, 16000 }, { 44056, 16000 }, // 44056/16000 has 2000 phases: interpolated table
    };

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void Output_length_is_the_rounded_rate_ratio(int from, int to)
    {
        foreach (var frames in new[] { 0, 1, 2, 7, 1000, 12_345 })
        {
            var resampler = new Resampler(new ArraySampleProvider(AudioTestKit.Sine(frames, 440, from), from, maxPerRead: 777), to);
            var expected = (long)Math.Round((double)frames * to / from, MidpointRounding.AwayFromZero);

            Assert.Equal(expected, Resampler.OutputFrames(frames, from, to));
            Assert.Equal(expected, AudioTestKit.ReadAll(resampler, 501).Length);
        }
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void DC_stays_DC_up_to_both_edges(int from, int to)
    {
        var input = Enumerable.Repeat(0.3f, 5000).ToArray();
        var output = AudioTestKit.ReadAll(new Resampler(new ArraySampleProvider(input, from), to));

        Assert.All(output, v => Assert.Equal(0.3f, v, 1e-5f));
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void A_1kHz_tone_stays_a_1kHz_tone_on_the_same_timeline(int from, int to)
    {
        var output = AudioTestKit.ReadAll(new Resampler(new ArraySampleProvider(AudioTestKit.Sine(from, 1000, from), from), to));
        var ideal = AudioTestKit.Sine(output.Length, 1000, to);
        var edge = to / 20; // the mirrored edges are not a sine's continuation: judge the middle

        Assert.True(AudioTestKit.SnrDb(ideal.AsSpan(edge, output.Length - (2 * edge)), output.AsSpan(edge, output.Length - (2 * edge))) > 70);
    }

    [Theory]
    [InlineData(8_500)]
    [InlineData(9_000)] // would alias to 7 kHz
    [InlineData(12_000)]
    [InlineData(20_000)]
    public void Tones_above_the_output_Nyquist_are_attenuated_at_least_60dB(double frequency)
    {
        var input = AudioTestKit.Sine(48000, frequency, 48000, amplitude: 0.9);
        var output = AudioTestKit.ReadAll(new Resampler(new ArraySampleProvider(input, 48000), 16000));
        var middle = output.AsSpan(800, output.Length - 1600);

        var attenuationDb = 20 * Math.Log10(AudioTestKit.Rms(input) / AudioTestKit.Rms(middle));
        Assert.True(attenuationDb >= 60, $"{frequency} Hz attenuated by only {attenuationDb:F1} dB");
    }

    [Fact]
    public void Tones_inside_the_passband_keep_their_level()
    {
        foreach (var frequency in new[] { 100.0, 3000, 7000 })
        {
            var input = AudioTestKit.Sine(48000, frequency, 48000);
            var output = AudioTestKit.ReadAll(new Resampler(new ArraySampleProvider(input, 48000), 16000));
            var gainDb = 20 * Math.Log10(AudioTestKit.Rms(output.AsSpan(800, output.Length - 1600)) / AudioTestKit.Rms(input));
            Assert.InRange(gainDb, -0.05, 0.05);
        }
    }

    [Fact]
    public void Every_design_keeps_the_top_of_the_band_that_a_filter_flat_only_to_90_percent_rolls_off()
    {
        double Gain(double frequency, ResamplingDesign design)
        {
            var input = AudioTestKit.Sine(48000, frequency, 48000);
            var output = AudioTestKit.ReadAll(new Resampler(new ArraySampleProvider(input, 48000), 16000, design));
            return 20 * Math.Log10(AudioTestKit.Rms(output.AsSpan(800, output.Length - 1600)) / AudioTestKit.Rms(input));
        }

        // 7.7 kHz is 96% of the model's Nyquist: the top of the band the models were trained on.
        Assert.InRange(Gain(7_700, ResamplingDesign.ModelInput), -0.05, 0.05);
        Assert.InRange(Gain(7_700, ResamplingDesign.Output), -0.05, 0.05);
        Assert.InRange(Gain(7_700, ResamplingDesign.Reference), -0.05, 0.05);
        Assert.True(Gain(7_700, new ResamplingDesign(0.90, 1.00)) < -10, "the design before decision 0008 rolled it off");
    }

    [Theory]
    [InlineData(8_300)] // just past 103% of the model's Nyquist
    [InlineData(9_000)]
    [InlineData(20_000)]
    public void The_model_input_design_stops_everything_past_103_percent_of_the_Nyquist_by_90dB(double frequency)
    {
        var input = AudioTestKit.Sine(48000, frequency, 48000, amplitude: 0.9);
        var output = AudioTestKit.ReadAll(new Resampler(new ArraySampleProvider(input, 48000), 16000, ResamplingDesign.ModelInput));

        var attenuationDb = 20 * Math.Log10(AudioTestKit.Rms(input) / AudioTestKit.Rms(output.AsSpan(800, output.Length - 1600)));
        Assert.True(attenuationDb >= 90, $"{frequency} Hz attenuated by only {attenuationDb:F1} dB");
    }

    [Fact]
    public void Output_does_not_depend_on_read_sizes_and_is_deterministic()
    {
        var noise = new Random(7).GetItems(Enumerable.Range(-1000, 2001).Select(i => i / 1000f).ToArray(), 30_000);
        var stereo = new float[noise.Length * 2];
        for (var i = 0; i < noise.Length; i++) (stereo[2 * i], stereo[(2 * i) + 1]) = (noise[i], -noise[i] / 2);

        var a = AudioTestKit.ReadAll(new Resampler(new ArraySampleProvider(stereo, 44100, 2), 16000), 4096);
        var b = AudioTestKit.ReadAll(new Resampler(new ArraySampleProvider(stereo, 44100, 2, maxPerRead: 130), 16000), 17);

        Assert.Equal(a, b);
        Assert.All(a, v => Assert.True(float.IsFinite(v)));
        for (var i = 0; i < a.Length / 2; i++) Assert.Equal(-a[2 * i] / 2, a[(2 * i) + 1], 1e-6f); // channels independent
    }

    [Fact]
    public void Equal_rates_pass_samples_through()
    {
        var input = AudioTestKit.Sine(1000, 440, 16000);
        Assert.Equal(input, AudioTestKit.ReadAll(new Resampler(new ArraySampleProvider(input, 16000), 16000)));
    }

    [Theory]
    [InlineData(48000, 16000)]
    [InlineData(44056, 16000)]
    public void Read_allocates_nothing_in_steady_state(int from, int to)
    {
        var resampler = new Resampler(new EndlessSineProvider(from, 1), to);
        var buffer = new float[1024];
        resampler.Read(buffer);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 512; i++) resampler.Read(buffer);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
