using SamAudio.Core.Segmentation;

namespace SamAudio.Core.Separation;

/// <summary>
/// A text-queried separator that one model family implements (mask family, flow family, diagnostics).
/// The pipeline owns windowing; an engine sees one mono window at <see cref="EngineDescription.SampleRate"/>
/// and all prompts of the run at once.
/// </summary>
public interface ISeparationEngine : IAsyncDisposable
{
    /// <summary>What the engine is: id, version, rate, preferred windowing and the files that define it.</summary>
    EngineDescription Description { get; }

    /// <summary>
    /// Encodes the prompts once for a whole run. The returned batch is reused for every window.
    /// </summary>
    ValueTask<PromptBatch> EncodePromptsAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken = default);

    /// <summary>
    /// Separates one window for every prompt of <paramref name="prompts"/> in one batched call.
    /// </summary>
    /// <param name="window">Mono samples at the engine's rate; any length of at least one sample.</param>
    /// <param name="prompts">A batch from <see cref="EncodePromptsAsync"/> of this engine.</param>
    /// <param name="targets">Receives <c>prompts.Count * window.Length</c> samples, prompt-major.</param>
    /// <param name="residuals">Receives <c>prompts.Count * window.Length</c> samples, prompt-major.</param>
    /// <param name="cancellationToken">Cancels a long model call.</param>
    ValueTask SeparateAsync(
        ReadOnlyMemory<float> window,
        PromptBatch prompts,
        Memory<float> targets,
        Memory<float> residuals,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="SeparateAsync(ReadOnlyMemory{float}, PromptBatch, Memory{float}, Memory{float}, CancellationToken)"/>
    /// for a window whose first sample is sample <paramref name="start"/> of the recording at the engine's rate. An
    /// engine whose output depends on where a window lies (the flow family keys its noise by absolute latent frame, so
    /// windows and shards see the noise of the whole recording) overrides this; by default the position is ignored.
    /// </summary>
    ValueTask SeparateAsync(
        ReadOnlyMemory<float> window,
        long start,
        PromptBatch prompts,
        Memory<float> targets,
        Memory<float> residuals,
        CancellationToken cancellationToken = default) =>
        SeparateAsync(window, prompts, targets, residuals, cancellationToken);

    /// <summary>
    /// A solve across the windows of <paramref name="segmentation"/> that writes to <paramref name="sink"/> itself, or
    /// null (the default) when the engine separates each window on its own and the pipeline crossfades them. The
    /// flow family returns its latent multi-diffusion here unless waveform crossfade was asked for.
    /// </summary>
    ISpanSeparation? OpenSpan(SegmentationOptions segmentation, PromptBatch prompts, ISeparatedSink sink) => null;

    /// <summary>
    /// Whether the engine conditions on <see cref="PromptBatch.Spans"/> (SAM-Audio packs whose dit_velocity has anchor
    /// inputs). False by default: the pipeline refuses prompts with spans rather than ignore them.
    /// </summary>
    bool TakesSpanPrompts => false;
}
