using Microsoft.Extensions.Logging.Abstractions;
using NAudio.Wave;
using SamAudio.Core.Segmentation;
using SamAudio.Core.Separation;
using SamAudio.Inference.Flow;
using SamAudio.Inference.Packs;
using SamAudio.Inference.Tests.Support;

namespace SamAudio.Inference.Tests.Flow;

[Trait("Category", "Model")]
public sealed class FlowSeparationEngineTests
{
    private const int Hop = 1920;

    [Fact]
    public async Task The_same_seed_gives_the_same_bytes_and_another_seed_other_bytes()
    {
        float[] mixture = Signals.Noise(3 * 48_000 / 2, seed: 5);
        var (t1, r1) = await SeparateAsync(seed: 0, mixture);
        var (t2, r2) = await SeparateAsync(seed: 0, mixture);
        var (t3, r3) = await SeparateAsync(seed: 1, mixture);

        Assert.Equal(t1, t2);
        Assert.Equal(r1, r2);
        Assert.NotEqual(t1, t3);
        Assert.NotEqual(r1, r3);
        Assert.All(t1.Concat(r1), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1919)]
    [InlineData(1920)]
    [InlineData(1921)]
    [InlineData(48_000)]
    [InlineData(100_003)]
    public async Task Outputs_have_the_window_length_exactly(int length)
    {
        await using var engine = await OpenAsync(seed: 0, steps: 2);
        var batch = await engine.EncodePromptsAsync(["a dog barking", "rain on the roof"]);
        float[] mixture = Signals.Noise(length, seed: length);
        // One sample more than needed on each side: the engine writes exactly P x length and leaves the rest.
        float[] targets = Enumerable.Repeat(float.NaN, (2 * length) + 1).ToArray();
        float[] residuals = Enumerable.Repeat(float.NaN, (2 * length) + 1).ToArray();

        await engine.SeparateAsync(mixture, batch, targets, residuals);

        Assert.All(targets[..(2 * length)].Concat(residuals[..(2 * length)]), v => Assert.True(float.IsFinite(v)));
        Assert.True(float.IsNaN(targets[^1]) && float.IsNaN(residuals[^1]));
    }

    [Fact]
    public void Noise_depends_on_the_absolute_frame_only()
    {
        float[] whole = new float[40 * 256];
        float[] window = new float[7 * 256];
        FlowNoise.Fill(42, 0, 256, whole);
        FlowNoise.Fill(42, 25, 256, window);

        Assert.Equal(whole.AsSpan(25 * 256, window.Length).ToArray(), window);
        Assert.Equal(whole[(30 * 256) + 77], FlowNoise.Sample(42, 30, 77));
        double mean = whole.Average(v => (double)v), variance = whole.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, -0.05, 0.05);
        Assert.InRange(variance, 0.9, 1.1);
    }

    [Fact]
    public async Task A_window_starting_at_frame_k_gets_what_the_whole_recording_gets_at_k()
    {
        // The tiny graphs work frame by frame, so only the noise could make a window differ from the whole run.
        float[] mixture = Signals.Noise(12 * Hop, seed: 9);
        await using var engine = await OpenAsync(seed: 7, steps: 4);
        var batch = await engine.EncodePromptsAsync(["owl"]);
        float[] wholeTargets = new float[mixture.Length], wholeResiduals = new float[mixture.Length];
        await engine.SeparateAsync(mixture, 0, batch, wholeTargets, wholeResiduals);
        int k = 5, n = 4 * Hop;
        float[] targets = new float[n], residuals = new float[n];

        await engine.SeparateAsync(mixture.AsMemory(k * Hop, n), k * Hop, batch, targets, residuals);

        Assert.True(Signals.PeakDifference(targets, wholeTargets.AsSpan(k * Hop, n)) < 1e-5);
        Assert.True(Signals.PeakDifference(residuals, wholeResiduals.AsSpan(k * Hop, n)) < 1e-5);
        await engine.SeparateAsync(mixture.AsMemory(k * Hop, n), 0, batch, targets, residuals);
        Assert.True(Signals.PeakDifference(targets, wholeTargets.AsSpan(k * Hop, n)) > 1e-3);
    }

    [Fact]
    public void Reflect_padding_mirrors_without_repeating_the_edge()
    {
        float[] padded = new float[7];
        FlowSeparationEngine.ReflectPad([1f, 2f, 3f], padded);
        Assert.Equal([1f, 2f, 3f, 2f, 1f, 2f, 3f], padded);

        FlowSeparationEngine.ReflectPad([4f], padded);
        Assert.All(padded, v => Assert.Equal(4f, v));
    }

    [Fact]
    public async Task The_segmented_pipeline_runs_the_tiny_pack_to_the_exact_length()
    {
        await using var engine = await OpenAsync(seed: 0, steps: 3);
        var d = engine.Description;
        var batch = await engine.EncodePromptsAsync(["a dog barking", "wind noise"]);
        float[] recording = Signals.Tones((5 * 48_000) + 123, 48_000, (440, 0.3), (3000, 0.1));
        var sink = new CountingSink(2);
        var options = SegmentationOptions.FromSeconds(d.SegmentSeconds, d.OverlapSeconds, d.SampleRate);

        long emitted = await new SegmentedSeparator(engine, options).RunAsync(new ArraySource(recording), batch, sink);

        Assert.Equal(recording.Length, emitted);
        Assert.Equal(recording.Length, sink.Samples);
        Assert.True(sink.AllFinite);
    }

    private static async Task<(float[] Targets, float[] Residuals)> SeparateAsync(int seed, float[] mixture)
    {
        await using var engine = await OpenAsync(seed, steps: 16);
        var batch = await engine.EncodePromptsAsync(["a dog barking", "rain on the roof"]);
        float[] targets = new float[2 * mixture.Length], residuals = new float[2 * mixture.Length];
        await engine.SeparateAsync(mixture, 48_000, batch, targets, residuals);
        return (targets, residuals);
    }

    private static Task<ISeparationEngine> OpenAsync(int seed, int steps) =>
        ModelEngines.OpenAsync(new ModelCatalog([]), TestPaths.SamAudioTiny, new InferenceOptions { Device = InferenceDevice.Cpu, Seed = seed, Steps = steps }, NullLogger.Instance);

    private sealed class ArraySource(float[] samples) : ISampleProvider
    {
        private int _position;

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(48_000, 1);

        public int Read(Span<float> buffer)
        {
            int n = Math.Min(buffer.Length, samples.Length - _position);
            samples.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }

    private sealed class CountingSink(int prompts) : ISeparatedSink
    {
        public long Samples { get; private set; }

        public bool AllFinite { get; private set; } = true;

        public void Write(ReadOnlySpan<float> mixture, ReadOnlySpan<float> targets, ReadOnlySpan<float> residuals, int count)
        {
            Assert.Equal(prompts * count, targets.Length);
            Samples += count;
            foreach (float v in targets)
            {
                AllFinite &= float.IsFinite(v);
            }

            foreach (float v in residuals)
            {
                AllFinite &= float.IsFinite(v);
            }
        }
    }
}
