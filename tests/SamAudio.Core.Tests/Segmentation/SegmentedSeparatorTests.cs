using NAudio.Wave;
using SamAudio.Core.Segmentation;
using SamAudio.Core.Separation;

namespace SamAudio.Core.Tests.Segmentation;

public sealed class SegmentedSeparatorTests
{
    [Theory]
    [InlineData(1000, 200, 5555)]
    [InlineData(1000, 500, 1000)]
    [InlineData(1000, 0, 2500)]
    [InlineData(160_000, 32_000, 1_000_003)]
    [InlineData(64, 16, 7)]
    public async Task Overlap_add_of_identity_model_reproduces_input(int window, int overlap, int length)
    {
        var input = Noise(length, seed: length);
        var sink = new CollectingSink(promptCount: 2);
        await using var engine = new PassThroughEngine();
        var prompts = await engine.EncodePromptsAsync(["a", "b"]);

        long emitted = await new SegmentedSeparator(engine, new SegmentationOptions(window, overlap))
            .RunAsync(new ArraySource(input, chunk: 777), prompts, sink);

        Assert.Equal(length, emitted);
        for (int p = 0; p < 2; p++)
        {
            AssertClose(input, sink.Targets[p], $"prompt {p}");
            Assert.All(sink.Residuals[p], r => Assert.Equal(0f, r));
        }

        AssertClose(input, sink.Mixture, "mixture");
    }

    private static void AssertClose(float[] expected, List<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            // Crossfade weights sum to one within a float rounding step.
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-6f, $"{what} sample {i}: {actual[i]} != {expected[i]}");
        }
    }

    [Fact]
    public async Task Output_length_equals_input_length_for_many_random_lengths_and_window_settings()
    {
        var random = new Random(20261127);
        await using var engine = new PassThroughEngine();
        var prompts = await engine.EncodePromptsAsync(["x"]);
        for (int trial = 0; trial < 200; trial++)
        {
            int window = random.Next(2, 400);
            int overlap = random.Next(0, window / 2 + 1);
            int length = random.Next(1, 3000);
            var sink = new CollectingSink(1);
            var options = new SegmentationOptions(window, overlap);

            long emitted = await new SegmentedSeparator(engine, options)
                .RunAsync(new ArraySource(Noise(length, trial), chunk: random.Next(1, 500)), prompts, sink);

            Assert.True(length == emitted, $"window {window} overlap {overlap} length {length}: emitted {emitted}");
            Assert.Equal(length, sink.Targets[0].Count);
            Assert.Equal(options.WindowCount(length), sink.Chunks);
        }
    }

    [Fact]
    public async Task Every_window_the_engine_sees_has_the_full_window_length()
    {
        var engine = new RecordingEngine();
        var prompts = await engine.EncodePromptsAsync(["x"]);
        await new SegmentedSeparator(engine, new SegmentationOptions(100, 20)).RunAsync(new ArraySource(Noise(250, 1), 64), prompts, new CollectingSink(1));

        Assert.Equal(3, engine.WindowLengths.Count);
        Assert.All(engine.WindowLengths, n => Assert.Equal(100, n));
    }

    [Fact]
    public async Task Separation_is_deterministic_for_the_same_input()
    {
        await using var engine = new PassThroughEngine();
        var prompts = await engine.EncodePromptsAsync(["x"]);
        var input = Noise(12_345, 3);
        var first = new CollectingSink(1);
        var second = new CollectingSink(1);
        var separator = new SegmentedSeparator(engine, new SegmentationOptions(1000, 300));

        await separator.RunAsync(new ArraySource(input, 100), prompts, first);
        await separator.RunAsync(new ArraySource(input, 999), prompts, second);

        Assert.Equal(first.Targets[0], second.Targets[0]);
    }

    [Fact]
    public void Options_reject_overlap_above_half_a_window()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SegmentationOptions(100, 51));
    }

    private static float[] Noise(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    private sealed class ArraySource(float[] samples, int chunk) : ISampleProvider
    {
        private int _position;

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(16_000, 1);

        public int Read(Span<float> buffer)
        {
            int n = Math.Min(Math.Min(buffer.Length, chunk), samples.Length - _position);
            samples.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }

    private sealed class CollectingSink(int promptCount) : ISeparatedSink
    {
        public List<float>[] Targets { get; } = Enumerable.Range(0, promptCount).Select(_ => new List<float>()).ToArray();

        public List<float>[] Residuals { get; } = Enumerable.Range(0, promptCount).Select(_ => new List<float>()).ToArray();

        public List<float> Mixture { get; } = [];

        public int Chunks { get; private set; }

        public void Write(ReadOnlySpan<float> mixture, ReadOnlySpan<float> targets, ReadOnlySpan<float> residuals, int count)
        {
            Chunks++;
            Mixture.AddRange(mixture.ToArray());
            for (int p = 0; p < promptCount; p++)
            {
                Targets[p].AddRange(targets.Slice(p * count, count).ToArray());
                Residuals[p].AddRange(residuals.Slice(p * count, count).ToArray());
            }
        }
    }

    private sealed class RecordingEngine : ISeparationEngine
    {
        public List<int> WindowLengths { get; } = [];

        public EngineDescription Description { get; } = new("recording", "1", "diagnostic", 16_000, 1, 0.2, []);

        public ValueTask<PromptBatch> EncodePromptsAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new PromptBatch(prompts, new float[prompts.Count], [prompts.Count, 1]));

        public ValueTask SeparateAsync(ReadOnlyMemory<float> window, PromptBatch prompts, Memory<float> targets, Memory<float> residuals, CancellationToken cancellationToken = default)
        {
            WindowLengths.Add(window.Length);
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
