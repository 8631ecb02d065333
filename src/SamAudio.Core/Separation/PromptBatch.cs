namespace SamAudio.Core.Separation;

/// <summary>
/// Prompts encoded once per run. <see cref="Embeddings"/> is row-major with shape <see cref="Shape"/>;
/// the first dimension is the prompt index. Engines own the meaning of the remaining dimensions.
/// </summary>
public sealed class PromptBatch
{
    public PromptBatch(IReadOnlyList<string> texts, float[] embeddings, int[] shape, IReadOnlyList<PromptInterpretation>? interpretations = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0 || shape[0] != texts.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(shape), $"First dimension must equal the prompt count {texts.Count}.");
        }

        long expected = 1;
        foreach (int d in shape)
        {
            expected *= d;
        }

        if (expected != embeddings.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(embeddings), $"Shape [{string.Join(',', shape)}] needs {expected} values, got {embeddings.Length}.");
        }

        if (interpretations is not null && interpretations.Count != texts.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(interpretations), $"One interpretation per prompt is needed ({texts.Count}), got {interpretations.Count}.");
        }

        Texts = texts;
        Interpretations = interpretations;
        Embeddings = embeddings;
        Shape = shape;
    }

    /// <summary>The exact prompt texts, after normalisation, in batch order.</summary>
    public IReadOnlyList<string> Texts { get; }

    /// <summary>How each prompt was read against the model's trained captions; null when the model has no vocabulary.</summary>
    public IReadOnlyList<PromptInterpretation>? Interpretations { get; }

    public int Count => Texts.Count;

    public float[] Embeddings { get; }

    public int[] Shape { get; }

    /// <summary>
    /// Each prompt's <see cref="PromptSpan"/>s (empty for none), in batch order; null when no prompt has any. Only an
    /// engine whose <see cref="ISeparationEngine.TakesSpanPrompts"/> is true reads them.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<PromptSpan>>? Spans { get; private init; }

    /// <summary>This batch with <paramref name="spans"/> (one list per prompt); the embeddings are shared, not copied.</summary>
    public PromptBatch WithSpans(IReadOnlyList<IReadOnlyList<PromptSpan>> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count != Count)
        {
            throw new ArgumentOutOfRangeException(nameof(spans), $"One span list per prompt is needed ({Count}), got {spans.Count}.");
        }

        return new PromptBatch(Texts, Embeddings, Shape, Interpretations) { Spans = spans.Any(s => s.Count > 0) ? spans : null };
    }
}
