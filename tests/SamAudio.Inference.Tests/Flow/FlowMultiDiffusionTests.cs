using Microsoft.Extensions.Logging.Abstractions;
using NAudio.Wave;
using SamAudio.Core.Activity;
using SamAudio.Core.Segmentation;
using SamAudio.Core.Separation;
using SamAudio.Inference.Flow;
using SamAudio.Inference.Packs;
using SamAudio.Inference.Tests.Support;

namespace SamAudio.Inference.Tests.Flow;

/// <summary>Latent multi-diffusion through the pipeline's <see cref="SegmentedSeparator"/> with the miniature pack (2 s windows, 0.4 s overlap).</summary>
[Trait("Category", "Model")]
public sealed class FlowMultiDiffusionTests
{
    private const int Rate = 48_000;
    private const int Window = 96_000, Hop = 76_800;

    [Theory]
    [InlineData(1)]
    [InlineData(1921)]
    [InlineData(50_000)]
    [InlineData(Window)]
    public async Task A_recording_that_fits_one_window_gives_the_single_window_bytes(int length)
    {
        // Bit-identical, not just close: one window gets weight exactly 1 everywhere, the same noise, the same tensor
        // operations on the same aligned shapes, and the same decode and trim.
        float[] recording = Signals.Noise(length, seed: length);
        var multi = await RunAsync(LongAudioMethod.MultiDiffusion, recording, seed: 3, steps: 4);
        var single = await RunAsync(LongAudioMethod.Crossfade, recording, seed: 3, steps: 4);

        Assert.Equal(length, multi.Samples);
        Assert.Equal(single.Targets, multi.Targets);
        Assert.Equal(single.Residuals, multi.Residuals);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_bytes_and_another_seed_other_bytes()
    {
        float[] recording = Signals.Noise((7 * Rate) + 11, seed: 4);
        var a = await RunAsync(LongAudioMethod.MultiDiffusion, recording, seed: 0, steps: 3);
        var b = await RunAsync(LongAudioMethod.MultiDiffusion, recording, seed: 0, steps: 3);
        var c = await RunAsync(LongAudioMethod.MultiDiffusion, recording, seed: 1, steps: 3);
        var crossfade = await RunAsync(LongAudioMethod.Crossfade, recording, seed: 0, steps: 3);

        Assert.Equal(a.Targets, b.Targets);
        Assert.Equal(a.Residuals, b.Residuals);
        Assert.NotEqual(a.Targets, c.Targets);
        Assert.NotEqual(a.Targets, crossfade.Targets);
        Assert.All(a.Targets.Concat(a.Residuals), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(Window - 1)]
    [InlineData(Window + 1)]
    [InlineData(Window + Hop - 1)]
    [InlineData(Window + Hop)]
    [InlineData(Window + Hop + 1)]
    [InlineData(Window + (2 * Hop) + 1919)]
    [InlineData(Window + (5 * Hop))]
    [InlineData((9 * Rate) + 123)]
    public async Task Outputs_have_the_input_length_exactly(int length)
    {
        float[] recording = Signals.Noise(length, seed: 2);
        var run = await RunAsync(LongAudioMethod.MultiDiffusion, recording, seed: 0, steps: 2);

        Assert.Equal(length, run.Samples);
        Assert.Equal(2 * length, run.Targets.Length);
        Assert.Equal(2 * length, run.Residuals.Length);
        Assert.Equal(recording, run.Mixture);
        Assert.All(run.Targets.Concat(run.Residuals), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public async Task A_minute_at_sixteen_steps_runs_in_the_fixed_rings_to_the_exact_length()
    {
        // 38 windows, more than the 32 stages: the wavefront reaches its steady state and then drains after the last window.
        float[] recording = Signals.Noise((60 * Rate) + 7, seed: 8);
        var run = await RunAsync(LongAudioMethod.MultiDiffusion, recording, seed: 0, steps: 16);

        Assert.Equal(recording.Length, run.Samples);
        Assert.Equal(recording, run.Mixture);
        Assert.All(run.Targets, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public async Task Shards_on_the_grid_give_the_whole_runs_bytes()
    {
        const int steps = 2;
        float[] recording = Signals.Tones(40 * Rate, Rate, (440, 0.3), (2500, 0.1));
        var segmentation = new SegmentationOptions(Window, Window - Hop);
        var shards = ShardGrid.Plan(Rate, Rate, segmentation, ActivityFrames.FrameSamples(Rate, new ActivityOptions()), 0, recording.Length, 12L * Rate,
            ShardGrid.MultiDiffusionReachWindows(steps));
        var whole = await RunAsync(LongAudioMethod.MultiDiffusion, recording, seed: 5, steps);
        Assert.True(shards.Count >= 3);

        foreach (var shard in shards)
        {
            float[] read = recording[(int)shard.ReadStartFrame..(int)shard.ReadEndFrame];
            var run = await RunAsync(LongAudioMethod.MultiDiffusion, read, seed: 5, steps, startSample: shard.ReadStartFrame);
            int skip = (int)(shard.StartFrame - shard.ReadStartFrame), n = (int)shard.Frames;
            for (int p = 0; p < 2; p++)
            {
                Assert.Equal(whole.Target(p).AsSpan((int)shard.StartFrame, n).ToArray(), run.Target(p).AsSpan(skip, n).ToArray());
                Assert.Equal(whole.Residual(p).AsSpan((int)shard.StartFrame, n).ToArray(), run.Residual(p).AsSpan(skip, n).ToArray());
            }
        }
    }

    [Fact]
    public async Task Windows_that_are_not_whole_latent_frames_are_refused_with_the_way_out()
    {
        await using var engine = await OpenAsync(LongAudioMethod.MultiDiffusion, seed: 0, steps: 1);
        var batch = await engine.EncodePromptsAsync(["owl"]);

        var e = Assert.Throws<ArgumentException>(() => engine.OpenSpan(new SegmentationOptions(100_000, 20_000), batch, new Recorder(1)));
        Assert.Contains("--long-audio crossfade", e.Message, StringComparison.Ordinal);
        Assert.Equal(FlowMultiDiffusion.Name, engine.Description.Sampler!["longAudio"]);
    }

    internal static async Task<Recorder> RunAsync(LongAudioMethod method, float[] recording, int seed, int steps, long startSample = 0)
    {
        await using var engine = await OpenAsync(method, seed, steps);
        var batch = await engine.EncodePromptsAsync(["a dog barking", "rain on the roof"]);
        var options = new SegmentationOptions(Window, Window - Hop) { StartSample = startSample };
        var recorder = new Recorder(2);
        long emitted = await new SegmentedSeparator(engine, options).RunAsync(new ArraySource(recording), batch, recorder);
        Assert.Equal(recorder.Samples, emitted);
        return recorder;
    }

    internal static Task<ISeparationEngine> OpenAsync(LongAudioMethod method, int seed, int steps) =>
        ModelEngines.OpenAsync(new ModelCatalog([]), TestPaths.SamAudioTiny,
            new InferenceOptions { Device = InferenceDevice.Cpu, Seed = seed, Steps = steps, LongAudio = method }, NullLogger.Instance);

    internal sealed class ArraySource(float[] samples) : ISampleProvider
    {
        private int _position;

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(Rate, 1);

        public int Read(Span<float> buffer)
        {
            int n = Math.Min(buffer.Length, samples.Length - _position);
            samples.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }

    /// <summary>Keeps every sample written, prompt by prompt.</summary>
    internal sealed class Recorder(int prompts) : ISeparatedSink
    {
        private readonly List<float>[] _targets = Enumerable.Range(0, prompts).Select(_ => new List<float>()).ToArray();
        private readonly List<float>[] _residuals = Enumerable.Range(0, prompts).Select(_ => new List<float>()).ToArray();
        private readonly List<float> _mixture = [];

        public long Samples { get; private set; }

        public float[] Mixture => [.. _mixture];

        public float[] Targets => _targets.SelectMany(t => t).ToArray();

        public float[] Residuals => _residuals.SelectMany(t => t).ToArray();

        public float[] Target(int p) => [.. _targets[p]];

        public float[] Residual(int p) => [.. _residuals[p]];

        public void Write(ReadOnlySpan<float> mixture, ReadOnlySpan<float> targets, ReadOnlySpan<float> residuals, int count)
        {
            Assert.InRange(count, 1, Hop + Window);
            _mixture.AddRange(mixture[..count]);
            for (int p = 0; p < prompts; p++)
            {
                _targets[p].AddRange(targets.Slice(p * count, count));
                _residuals[p].AddRange(residuals.Slice(p * count, count));
            }

            Samples += count;
        }
    }
}
