using SamAudio.Core.Activity;
using SamAudio.Core.Audio;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Segmentation;
using SamAudio.Core.Separation;
using SamAudio.Core.Tests.Audio;

namespace SamAudio.Core.Tests.Pipeline;

/// <summary>
/// The residuals' mixture queues are bounded, so decoding waits for the slowest residual writer: it must never wait
/// for one that is itself waiting for the model (<see cref="MixtureTap.Capacity"/>), nor outlive a run that failed or
/// was cancelled. Every run here decodes many times what a queue holds; a deadlock shows as a timeout.
/// </summary>
public sealed class BoundedMixtureTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private static readonly ItemPrompt[] ThreePrompts = [new("a", "a", true, true), new("b", "b", true, true), new("c", "c", false, true)];
    private readonly TempDir _temp = new();

    [Theory]
    [InlineData(8_000, 0.0)]
    [InlineData(44_100, 0.0)]
    [InlineData(48_000, 0.25)]
    [InlineData(96_000, 0.5)]
    public async Task Several_prompts_with_residuals_finish_a_recording_many_queues_long(int rate, double overlapSeconds)
    {
        const int seconds = 40;
        string recording = TestWav.Write(_temp.File("in.wav"), new WavSpec(rate, 2, 16), rate * seconds);
        var segmentation = SegmentationOptions.FromSeconds(1, overlapSeconds, 16_000);
        Assert.True(MixtureTap.Capacity(segmentation, rate, 16_000, rate * (long)seconds) < rate * seconds / 3, "the queue holds a third of the recording or more");

        var outputs = await SeparateAsync(recording, ShardSpan.Whole(0, rate * (long)seconds), new PassThroughEngine(), overlapSeconds).WaitAsync(Patience);

        Assert.Equal(5, outputs.Count);
        Assert.All(outputs, o => Assert.Equal(rate * (long)seconds, o.Frames));
    }

    [Fact]
    public async Task A_shard_whose_writers_finish_before_decoding_does_still_completes()
    {
        // A shard reads context after its end: its residual writers are done while decoding still feeds their queues.
        const int rate = 48_000, seconds = 40;
        string recording = TestWav.Write(_temp.File("in.wav"), new WavSpec(rate, 1, 16), rate * seconds);
        var segmentation = SegmentationOptions.FromSeconds(1, 0, 16_000);
        var shards = ShardGrid.Plan(rate, 16_000, segmentation, ActivityFrames.FrameSamples(16_000, new ActivityOptions()), 0, rate * (long)seconds, rate * 10L);
        Assert.True(shards[0].ReadEndFrame > shards[0].EndFrame, "the first shard reads context after its end");

        var outputs = await SeparateAsync(recording, shards[0], new PassThroughEngine(), 0).WaitAsync(Patience);

        Assert.All(outputs, o => Assert.Equal(shards[0].Frames, o.Frames));
    }

    [Fact]
    public async Task A_model_that_fails_mid_recording_fails_the_run_instead_of_leaving_decoding_waiting()
    {
        // Windows that do not overlap: decoding may run four hops and a window past the model (its window buffers),
        // more than a mixture queue holds, so when the model fails decoding can be waiting for room in one.
        const int rate = 48_000, seconds = 80;
        string recording = TestWav.Write(_temp.File("in.wav"), new WavSpec(rate, 1, 16), rate * seconds);

        var run = SeparateAsync(recording, ShardSpan.Whole(0, rate * (long)seconds), new SlowEngine(failAt: 8), 0, 4);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => run.WaitAsync(Patience));
        Assert.Contains("window 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_mid_recording_ends_the_run_instead_of_leaving_decoding_waiting()
    {
        const int rate = 48_000, seconds = 80;
        string recording = TestWav.Write(_temp.File("in.wav"), new WavSpec(rate, 1, 16), rate * seconds);
        using var cancel = new CancellationTokenSource();

        var run = SeparateAsync(recording, ShardSpan.Whole(0, rate * (long)seconds), new SlowEngine(failAt: 0), 0, 4,
            new SynchronousProgress<double>(s => { if (s > 30) cancel.Cancel(); }), cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
    }

    public void Dispose() => _temp.Dispose();

    private static async Task<IReadOnlyList<CompletedOutput>> SeparateAsync(
        string recording, ShardSpan span, ISeparationEngine engine, double overlapSeconds, double segmentSeconds = 1, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        using var reader = AudioReaders.Open(recording);
        var request = new ShardRequest { Prompts = ThreePrompts, SegmentSeconds = segmentSeconds, OverlapSeconds = overlapSeconds, Span = span };
        using var separated = await new ShardSeparator(engine).SeparateAsync(reader, request, (_, _, _, _) => new DiscardingWriter(), progress, cancellationToken);
        return await separated.CompleteAsync(cancellationToken);
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>
    /// The pass-through model, slow enough (40 ms a window) that decoding runs windows ahead and fills the mixture
    /// queues; window <c>failAt</c> (from 1; 0 for none) throws.
    /// </summary>
    private sealed class SlowEngine(int failAt) : ISeparationEngine
    {
        private readonly PassThroughEngine _inner = new();
        private int _windows;

        public EngineDescription Description => _inner.Description;

        public ValueTask<PromptBatch> EncodePromptsAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken = default) =>
            _inner.EncodePromptsAsync(prompts, cancellationToken);

        public ValueTask SeparateAsync(ReadOnlyMemory<float> window, PromptBatch prompts, Memory<float> targets, Memory<float> residuals, CancellationToken cancellationToken = default)
        {
            Thread.Sleep(40);
            return ++_windows == failAt
                ? throw new InvalidOperationException($"the model failed at window {failAt}")
                : _inner.SeparateAsync(window, prompts, targets, residuals, cancellationToken);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class DiscardingWriter : ISampleWriter
    {
        public long FramesWritten { get; private set; }

        public long ClippedSamples => 0;

        public void Write(ReadOnlySpan<float> samples) => FramesWritten += samples.Length;

        public void Complete()
        {
        }

        public void Dispose()
        {
        }
    }
}
