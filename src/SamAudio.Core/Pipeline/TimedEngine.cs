using System.Diagnostics;
using SamAudio.Core.Segmentation;
using SamAudio.Core.Separation;

namespace SamAudio.Core.Pipeline;

/// <summary>Counts the time spent inside the model, for the per-stage timings of provenance.</summary>
internal sealed class TimedEngine(ISeparationEngine inner) : ISeparationEngine
{
    private long _ticks;

    public EngineDescription Description => inner.Description;

    public bool TakesSpanPrompts => inner.TakesSpanPrompts;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, _ticks);

    public ValueTask<PromptBatch> EncodePromptsAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken = default) =>
        inner.EncodePromptsAsync(prompts, cancellationToken);

    public ValueTask SeparateAsync(ReadOnlyMemory<float> window, PromptBatch prompts, Memory<float> targets, Memory<float> residuals, CancellationToken cancellationToken = default) =>
        SeparateAsync(window, 0, prompts, targets, residuals, cancellationToken);

    public async ValueTask SeparateAsync(ReadOnlyMemory<float> window, long start, PromptBatch prompts, Memory<float> targets, Memory<float> residuals, CancellationToken cancellationToken = default)
    {
        long t0 = Stopwatch.GetTimestamp();
        await inner.SeparateAsync(window, start, prompts, targets, residuals, cancellationToken).ConfigureAwait(false);
        _ticks += Stopwatch.GetTimestamp() - t0;
    }

    public ISpanSeparation? OpenSpan(SegmentationOptions segmentation, PromptBatch prompts, ISeparatedSink sink) =>
        inner.OpenSpan(segmentation, prompts, sink) is { } span ? new TimedSpan(span, this) : null;

    /// <summary>The wrapped engine belongs to the caller.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class TimedSpan(ISpanSeparation inner, TimedEngine owner) : ISpanSeparation
    {
        public async ValueTask<long> AddWindowAsync(ReadOnlyMemory<float> window, int valid, bool last, CancellationToken cancellationToken = default)
        {
            long t0 = Stopwatch.GetTimestamp();
            long emitted = await inner.AddWindowAsync(window, valid, last, cancellationToken).ConfigureAwait(false);
            owner._ticks += Stopwatch.GetTimestamp() - t0;
            return emitted;
        }

        public void Dispose() => inner.Dispose();
    }
}
