namespace SamAudio.Core.Separation;

/// <summary>
/// Diagnostic engine (<c>--model passthrough</c>): every prompt's target is the mixture and the residual is
/// silence. It measures the pipeline without a model and proves that windowing reconstructs its input. At a
/// recording rate above the engine's, the outputs show the model's band: the target is the mixture as the model
/// heard it and the residual everything above that band (docs/decisions/0004-residual-at-source-rate.md).
/// </summary>
public sealed class PassThroughEngine : ISeparationEngine
{
    public const string Id = "passthrough";

    public PassThroughEngine(int sampleRate = 16_000, double segmentSeconds = 10, double overlapSeconds = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1000);
        Description = new EngineDescription(Id, "1", "diagnostic", sampleRate, segmentSeconds, overlapSeconds, []);
    }

    public EngineDescription Description { get; }

    public ValueTask<PromptBatch> EncodePromptsAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new PromptBatch(prompts, new float[prompts.Count], [prompts.Count, 1]));

    public ValueTask SeparateAsync(
        ReadOnlyMemory<float> window,
        PromptBatch prompts,
        Memory<float> targets,
        Memory<float> residuals,
        CancellationToken cancellationToken = default)
    {
        int n = window.Length;
        for (int p = 0; p < prompts.Count; p++)
        {
            window.Span.CopyTo(targets.Span.Slice(p * n, n));
            residuals.Span.Slice(p * n, n).Clear();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
