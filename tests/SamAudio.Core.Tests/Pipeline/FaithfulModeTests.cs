using System.Runtime.InteropServices;
using SamAudio.Core.Activity;
using SamAudio.Core.Audio;
using SamAudio.Core.Dsp;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Segmentation;
using SamAudio.Core.Separation;
using SamAudio.Core.Tests.Audio;
using Xunit.Abstractions;
using FloatWav = SamAudio.Core.Tests.Pipeline.FaithfulResidualTests.FloatWav;

namespace SamAudio.Core.Tests.Pipeline;

/// <summary>
/// Faithful mode (docs/decisions/0006-faithful-mode.md): with a model whose target and residual are generated (they
/// neither sum to the mixture nor stay under it), the outputs sum to the selected mixture, the target's magnitude stays
/// under the mixture's in the masking STFT, and shards give the whole run's bytes.
/// </summary>
public sealed class FaithfulModeTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 1e-5;

    /// <summary>
    /// How far a re-analysed target may rise above the mixture, relative to the frame's loudest mixture bin: the masked
    /// spectra never exceed it (M in [0, 1]); synthesis then smears a mask across neighbouring frames and bins.
    /// </summary>
    private const double OvershootOfFramePeak = 0.02;

    private static readonly ItemPrompt[] Prompts = [new("a", "a", true, true), new("b", "b", true, false)];
    private readonly TempDir _temp = new();

    public static TheoryData<int, int, string> RatesAndChannels()
    {
        var data = new TheoryData<int, int, string>();
        foreach (int rate in new[] { 16_000, 44_100, 48_000 })
        {
            data.Add(rate, 1, "mix");
            data.Add(rate, 2, "mix");
            data.Add(rate, 2, "0");
            data.Add(rate, 2, "1");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RatesAndChannels))]
    public async Task Target_plus_residual_is_the_selected_mixture_with_its_exact_length(int rate, int channels, string channel)
    {
        int frames = (int)(rate * 4.3) + 7;
        var recording = Recording(rate, channels, frames);
        string path = FloatWav.Write(_temp.File($"in-{rate}-{channels}.wav"), rate, channels, recording);
        var selection = ChannelSelection.Parse(channel);

        var outputs = await SeparateAsync(path, selection, ShardSpan.Whole(0, frames), OutputRateMode.Source, _temp.File($"out-{rate}-{channels}-{channel}"));

        float[] mixture = Select(recording, channels, selection);
        float[] target = outputs["a.target"], residual = outputs["a.residual"];
        Assert.Equal(frames, target.Length);
        Assert.Equal(frames, residual.Length);
        double peak = PeakError(target, residual, mixture);
        output.WriteLine($"{rate} Hz, {channels} ch, {channel}: max |t + r - m| = {peak:E2}");
        Assert.True(peak <= Tolerance, $"|target + residual - mixture| reaches {peak}");
    }

    [Theory]
    [InlineData(16_000)]
    [InlineData(48_000)]
    public async Task The_target_s_magnitude_never_exceeds_the_mixture_s_in_the_masking_stft(int rate)
    {
        int frames = rate * 4;
        var recording = Recording(rate, 1, frames);
        string path = FloatWav.Write(_temp.File($"in-{rate}.wav"), rate, 1, recording);
        var outputs = await SeparateAsync(path, ChannelSelection.Mix, ShardSpan.Whole(0, frames), OutputRateMode.Source, _temp.File($"mag-{rate}"));

        var stft = new ComplementaryMaskStft(rate, 8000);
        int n = stft.Size, bins = (n / 2) + 1;
        float[] xRe = new float[n], xIm = new float[n], yRe = new float[n], yIm = new float[n];
        double worstRatio = 0, worstOvershoot = 0;
        foreach (string name in new[] { "a.target", "b.target" })
        {
            float[] target = outputs[name];
            for (int start = 0; start + n <= frames; start += stft.Hop)
            {
                stft.Analyse(recording.AsSpan(start, n), xRe, xIm);
                stft.Analyse(target.AsSpan(start, n), yRe, yIm);
                double peak = 0;
                for (int f = 0; f < bins; f++)
                {
                    peak = Math.Max(peak, Math.Sqrt((xRe[f] * xRe[f]) + (xIm[f] * xIm[f])));
                }

                for (int f = 0; f < bins; f++)
                {
                    double x = Math.Sqrt((xRe[f] * xRe[f]) + (xIm[f] * xIm[f])), y = Math.Sqrt((yRe[f] * yRe[f]) + (yIm[f] * yIm[f]));
                    worstOvershoot = Math.Max(worstOvershoot, (y - x) / peak);
                    if (x >= 1e-2 * peak)
                    {
                        worstRatio = Math.Max(worstRatio, y / x);
                    }
                }
            }
        }

        output.WriteLine($"{rate} Hz: max |T|/|X| over bins within 40 dB of the frame's peak {worstRatio:F4}; max (|T| - |X|) / frame peak {worstOvershoot:E2}");
        Assert.True(worstOvershoot <= OvershootOfFramePeak, $"the target rises {worstOvershoot:E2} of the frame's peak above the mixture");
    }

    [Fact]
    public void The_mask_stays_in_zero_to_one_so_masked_spectra_never_exceed_the_mixture()
    {
        var random = new Random(5);
        float[] extremes = [0f, float.Epsilon, 1e-30f, 1e-3f, 1f, 1e18f, 3e38f, float.MaxValue];
        for (int i = 0; i < 100_000; i++)
        {
            float Pick() => (random.Next(3) == 0 ? extremes[random.Next(extremes.Length)] : (float)((random.NextDouble() * 2) - 1)) * (random.Next(2) == 0 ? -1 : 1);
            float m = ComplementaryMaskStft.Mask(Pick(), Pick(), Pick(), Pick());
            Assert.InRange(m, 0f, 1f);
        }

        Assert.Equal(0f, ComplementaryMaskStft.Mask(0, 0, 0, 0));
    }

    [Theory]
    [InlineData(44_100, OutputRateMode.Source)]
    [InlineData(48_000, OutputRateMode.Source)]
    [InlineData(44_100, OutputRateMode.Model)]
    [InlineData(16_000, OutputRateMode.Source)]
    public async Task A_sharded_run_gives_the_whole_run_s_bytes(int rate, OutputRateMode outputRate)
    {
        const int channels = 2;
        int frames = (int)(rate * 13.1);
        var recording = Recording(rate, channels, frames);
        string path = FloatWav.Write(_temp.File("in.wav"), rate, channels, recording);
        var selection = ChannelSelection.Index(1);
        long start = (long)(rate * 0.9) + 3, end = (long)(rate * 12.7);
        var shards = ShardGrid.Plan(rate, 16_000, SegmentationOptions.FromSeconds(2, 0.5, 16_000), ActivityFrames.FrameSamples(16_000, new ActivityOptions()), start, end, rate * 3L);
        Assert.True(shards.Count >= 3, $"{shards.Count} shards");

        var whole = await SeparateAsync(path, selection, ShardSpan.Whole(start, end), outputRate, _temp.File("whole"));
        var parts = new List<Dictionary<string, float[]>>();
        foreach (var shard in shards)
        {
            parts.Add(await SeparateAsync(path, selection, shard, outputRate, _temp.File($"shard{shard.Index}")));
        }

        foreach (var (name, samples) in whole)
        {
            float[] joined = parts.SelectMany(p => p[name]).ToArray();
            Assert.True(MemoryMarshal.AsBytes(samples.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(joined.AsSpan())), $"{name}: the shards differ from the whole run");
        }

        if (outputRate == OutputRateMode.Source)
        {
            float[] mixture = Select(recording, channels, selection)[(int)start..(int)end];
            Assert.True(PeakError(whole["a.target"], whole["a.residual"], mixture) <= Tolerance);
        }
    }

    public void Dispose() => _temp.Dispose();

    private static float[] Recording(int rate, int channels, int frames) => TestMixtures.Recording(rate, channels, frames, seed: 29, lowHz: 440);

    private static float[] Select(float[] interleaved, int channels, ChannelSelection selection) => TestMixtures.Select(interleaved, channels, selection);

    private static async Task<Dictionary<string, float[]>> SeparateAsync(string recording, ChannelSelection channel, ShardSpan span, OutputRateMode outputRate, string folder)
    {
        using var reader = AudioReaders.Open(recording);
        var request = new ShardRequest { Prompts = Prompts, Channel = channel, Span = span, OutputRate = outputRate, Faithful = true };
        using var separated = await new ShardSeparator(new GeneratingEngine()).SeparateAsync(
            reader, request, (prompt, kind, _, _) => new RawFloatWriter(Path.Combine(folder, $"{prompt.Slug}.{kind}.raw")));
        var completed = await separated.CompleteAsync();
        return completed.ToDictionary(c => $"{c.Prompt.Slug}.{c.Kind}", c => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(folder, $"{c.Prompt.Slug}.{c.Kind}.raw"))).ToArray());
    }

    private static double PeakError(float[] target, float[] residual, float[] mixture)
    {
        double peak = 0;
        for (int i = 0; i < mixture.Length; i++)
        {
            peak = Math.Max(peak, Math.Abs((double)target[i] + residual[i] - mixture[i]));
        }

        return peak;
    }

    /// <summary>
    /// A stand-in for a generative model: its target is louder than the window (gain up to 1.6, set by the window's
    /// energy), with a tone the mixture does not hold; its residual is another reshaping. They do not sum to the window.
    /// </summary>
    private sealed class GeneratingEngine : ISeparationEngine
    {
        public EngineDescription Description { get; } = new("generating", "1", "test", 16_000, 2, 0.5, []);

        public ValueTask<PromptBatch> EncodePromptsAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new PromptBatch(prompts, new float[prompts.Count], [prompts.Count, 1]));

        public ValueTask SeparateAsync(ReadOnlyMemory<float> window, PromptBatch prompts, Memory<float> targets, Memory<float> residuals, CancellationToken cancellationToken = default)
        {
            var x = window.Span;
            double energy = 0;
            foreach (var v in x)
            {
                energy += (double)v * v;
            }

            for (int p = 0; p < prompts.Count; p++)
            {
                float gain = (float)(1.1 + (0.5 * Math.Tanh((energy / x.Length * (p + 1) * 7) + x[0])));
                var target = targets.Span.Slice(p * x.Length, x.Length);
                var residual = residuals.Span.Slice(p * x.Length, x.Length);
                float previous = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    target[i] = (x[i] * gain * (p + 1) / 2) + (0.05f * MathF.Sin(i * 0.3f));
                    residual[i] = (0.8f * x[i]) - (0.7f * previous);
                    previous = x[i];
                }
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
