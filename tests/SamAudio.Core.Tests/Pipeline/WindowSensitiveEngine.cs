using SamAudio.Core.Separation;

namespace SamAudio.Core.Tests.Pipeline;

/// <summary>
/// A fake model whose output depends on the whole window it is given, as a real one does: the target is the window
/// times a gain set by the window's mean square and first sample, so a window cut at another position, padded
/// differently or fed different input gives different output. Residual = window - target.
/// </summary>
internal sealed class WindowSensitiveEngine(int sampleRate = 16_000, double segmentSeconds = 2, double overlapSeconds = 0.5) : ISeparationEngine
{
    public EngineDescription Description { get; } = new("window-sensitive", "1", "test", sampleRate, segmentSeconds, overlapSeconds, []);

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
            float gain = (float)(0.3 + (0.5 * Math.Tanh((energy / x.Length * (p + 1) * 7) + x[0])));
            var target = targets.Span.Slice(p * x.Length, x.Length);
            var residual = residuals.Span.Slice(p * x.Length, x.Length);
            for (int i = 0; i < x.Length; i++)
            {
                target[i] = x[i] * gain * (1 + (0.1f * x[i]));
                residual[i] = x[i] - target[i];
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
